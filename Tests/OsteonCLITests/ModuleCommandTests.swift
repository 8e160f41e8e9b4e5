import Foundation
import Testing

/// A network built with `import` and instances, through the commands a user runs.
@Suite("Modules on the command line")
struct ModuleCommandTests {
  static let part = """
    model decay(S, k)
      species S = 4
      k = 0.5
      J0: S -> ; k*S
    end
    """

  static let whole = """
    import "parts/decay.ant"

    model *tissue()
      fast: decay()
      slow: decay()
      slow.k = 0.1
    end
    """

  @Test func columnsKeepTheInstancePathAndExplainSaysWhereEachCameFrom() throws {
    let scratch = try Scratch()
    try FileManager.default.createDirectory(
      at: scratch.url.appendingPathComponent("parts"), withIntermediateDirectories: true)
    _ = try scratch.write("parts/decay.ant", Self.part)
    _ = try scratch.write("tissue.ant", Self.whole)

    let simulated = try Osteon.run(["simulate", "tissue.ant", "--end", "2", "--points", "3"], in: scratch.url)
    #expect(simulated.status == 0, "\(simulated)")
    let lines = simulated.standardOutput.split(separator: "\n")
    #expect(lines.first == "time,fast.S,slow.S", "\(simulated)")
    let last = try #require(lines.last?.split(separator: ",").compactMap { Double($0) })
    #expect(last.count == 3)
    #expect(abs(last[1] - 4 * exp(-0.5 * 2)) < 1e-5)
    #expect(abs(last[2] - 4 * exp(-0.1 * 2)) < 1e-5)

    let explained = try Osteon.run(["explain", "tissue.ant"], in: scratch.url)
    #expect(explained.status == 0, "\(explained)")
    #expect(explained.standardOutput.contains("fast model decay   from parts/decay.ant"), "\(explained)")
    #expect(explained.standardOutput.contains("slow.J0: slow.S ->; slow.k*slow.S"), "\(explained)")
  }

  @Test func anErrorInAnImportedFileIsReportedThere() throws {
    let scratch = try Scratch()
    try FileManager.default.createDirectory(
      at: scratch.url.appendingPathComponent("parts"), withIntermediateDirectories: true)
    _ = try scratch.write("parts/decay.ant", Self.part.replacingOccurrences(of: "k*S", with: "kk*S"))
    _ = try scratch.write("tissue.ant", Self.whole)
    let checked = try Osteon.run(["check", "tissue.ant"], in: scratch.url)
    #expect(checked.status == 65, "\(checked)")
    #expect(
      checked.standardError.contains("parts/decay.ant:4:14: error: unknown identifier `kk`"), "\(checked)")
    #expect(checked.standardError.contains("  J0: S -> ; kk*S\n"), "\(checked)")
    #expect(checked.standardError.contains("copied by instances `fast`, `slow`"), "\(checked)")
  }
}
