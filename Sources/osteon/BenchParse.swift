import ArgumentParser
import OsteonNetwork
import OsteonSyntax

struct BenchParse: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench-parse",
    abstract: "Time parsing and resolving a generated network (front-end benchmark).",
    discussion: """
      Generates a chain of N Michaelis–Menten reactions (two parameters each, an \
      assignment rule every tenth step, an event), then parses and resolves it K times \
      after one warm-up and prints the median times. Build with `-c release` for \
      meaningful numbers.
      """
  )

  @Option(help: "Number of reactions in the generated network.")
  var reactions = 10_000

  @Option(name: .customLong("repeat"), help: "Timed repetitions after the warm-up.")
  var repetitions: Int = 5

  func validate() throws {
    guard reactions >= 1 else { throw ValidationError("--reactions must be at least 1") }
    guard repetitions >= 1 else { throw ValidationError("--repeat must be at least 1") }
  }

  func run() throws {
    let text = SyntheticNetwork.text(reactions: reactions)
    let file = SourceFile(path: "<synthetic>", text: text)
    let clock = ContinuousClock()
    var parseTimes: [Double] = []
    var totalTimes: [Double] = []
    var last: LoadedNetwork?
    for round in 0...repetitions {
      let start = clock.now
      let parsed = Parser.parse(file)
      let parsedAt = clock.now
      let loaded = Network.load(file)
      let end = clock.now
      _ = parsed
      last = loaded
      if round > 0 {
        parseTimes.append(Self.milliseconds(parsedAt - start))
        // `load` parses again; its own time is the full parse + resolve.
        totalTimes.append(Self.milliseconds(end - parsedAt))
      }
    }
    guard let loaded = last, let network = loaded.network else {
      Output.standardError("the generated network did not resolve:\n" + (last?.renderedDiagnostics ?? ""))
      throw ExitCode.failure
    }
    let parse = Self.median(parseTimes)
    let total = Self.median(totalTimes)
    Output.standardOutput(
      "reactions=\(network.reactions.count) species=\(network.species.count) parameters=\(network.parameters.count) lines=\(file.lineStarts.count) bytes=\(file.bytes.count)"
    )
    Output.standardOutput(
      "parse_ms=\(Self.format(parse)) resolve_ms=\(Self.format(total - parse)) parse_and_resolve_ms=\(Self.format(total))"
    )
  }

  static func milliseconds(_ duration: Duration) -> Double {
    let parts = duration.components
    return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
  }

  static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1
      ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
  }

  static func format(_ value: Double) -> String {
    String(Double(Int((value * 100).rounded())) / 100)
  }
}
