import Foundation
import Testing

/// Files that cannot be Antimony get one clear line from `check`, `explain` and
/// `simulate` alike, and exit 65.
@Suite("Input files")
struct InputFileTests {
  /// Runs the three commands that read a network on `name` in `scratch`.
  static func everyCommand(on name: String, in scratch: Scratch) throws -> [Outcome] {
    try [["check", name], ["explain", name], ["simulate", name, "--end", "1", "--points", "2"]].map {
      try Osteon.run($0, in: scratch.url)
    }
  }

  @Test(arguments: ["", "\n\n  \n", "// only a comment\n# and another\n/* and a block */\n;\n"])
  func emptyFileIsAnError(text: String) throws {
    let scratch = try Scratch()
    try scratch.write("empty.ant", text)
    for outcome in try Self.everyCommand(on: "empty.ant", in: scratch) {
      #expect(outcome.status == 65, "\(outcome)")
      #expect(outcome.standardError == "empty.ant: error: the file is empty: it defines no model\n", "\(outcome)")
      #expect(!outcome.standardOutput.contains("time,"), "\(outcome)")
    }
  }

  @Test func emptyModelWritesNoHeaderlessCSV() throws {
    let scratch = try Scratch()
    try scratch.write("block.ant", "model nothing()\nend\n")
    let outcome = try Osteon.run(["simulate", "block.ant", "--end", "1"], in: scratch.url)
    #expect(outcome.status == 65, "\(outcome)")
    #expect(outcome.standardOutput.isEmpty, "\(outcome)")
    #expect(outcome.standardError.contains("the model defines nothing to simulate"), "\(outcome)")
  }

  @Test func modelWithoutStatesNeedsColumns() throws {
    let scratch = try Scratch()
    try scratch.write("flat.ant", "k = 3\n")
    let outcome = try Osteon.run(["simulate", "flat.ant", "--end", "1"], in: scratch.url)
    #expect(outcome.status == 64, "\(outcome)")
    #expect(outcome.standardOutput.isEmpty, "\(outcome)")
    #expect(outcome.standardError.contains("no state variables to output by default"), "\(outcome)")
    let chosen = try Osteon.run(
      ["simulate", "flat.ant", "--end", "1", "--points", "2", "--columns", "k"], in: scratch.url)
    #expect(chosen.status == 0, "\(chosen)")
    #expect(chosen.standardOutput == "time,k\n0.0,3.0\n1.0,3.0\n")
  }

  @Test func binaryFileIsOneLineWithoutControlBytes() throws {
    let scratch = try Scratch()
    let elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x1B, 0x5B, 0x32, 0x4A, 0x07, 0x0D]
    try scratch.write("program.ant", bytes: elf + Array(repeating: 0, count: 64))
    try scratch.write("late.ant", bytes: Array("S1 = 1\nk = 2\n".utf8) + [0, 0, 0x1B, 0x5B])
    for (name, offset) in [("program.ant", 0), ("late.ant", 13)] {
      for outcome in try Self.everyCommand(on: name, in: scratch) {
        #expect(outcome.status == 65, "\(outcome)")
        #expect(
          outcome.standardError
            == "\(name): error: not a text file (binary data at byte \(offset)); network files are UTF-8 text\n",
          "\(outcome)")
        #expect(outcome.standardErrorBytes.allSatisfy { $0 >= 0x20 || $0 == 0x0A }, "control bytes on stderr")
      }
    }
  }

  @Test func invalidUTF8IsNotText() throws {
    let scratch = try Scratch()
    try scratch.write("latin1.ant", bytes: Array("k = 1 // caf".utf8) + [0xE9] + Array("\n".utf8))
    let outcome = try Osteon.run(["check", "latin1.ant"], in: scratch.url)
    #expect(outcome.status == 65, "\(outcome)")
    #expect(outcome.standardError.contains("not a text file (binary data at byte 12)"), "\(outcome)")
    #expect(outcome.standardError.contains("iconv"), "\(outcome)")
  }

  @Test func sbmlIsRecognizedWithAConversionHint() throws {
    let scratch = try Scratch()
    let sbml = """
      <?xml version="1.0" encoding="UTF-8"?>
      <sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1">
        <model id="m"/>
      </sbml>

      """
    try scratch.write("model.xml", sbml)
    try scratch.write("bare.ant", "\n<sbml level=\"2\" version=\"4\"><model/></sbml>\n")
    for name in ["model.xml", "bare.ant"] {
      for outcome in try Self.everyCommand(on: name, in: scratch) {
        #expect(outcome.status == 65, "\(outcome)")
        let lines = outcome.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(outcome)")
        #expect(outcome.standardError.hasPrefix("\(name): error: this is SBML (XML), not Antimony"), "\(outcome)")
        #expect(outcome.standardError.contains("antimony.loadSBMLFile('\(name)')"), "\(outcome)")
        #expect(outcome.standardError.contains("te.sbmlToAntimony"), "\(outcome)")
      }
    }
  }

  @Test func otherXMLIsNotAntimony() throws {
    let scratch = try Scratch()
    try scratch.write("model.cellml", "<?xml version=\"1.0\"?>\n<model xmlns=\"http://www.cellml.org/cellml/1.1#\"/>\n")
    let outcome = try Osteon.run(["check", "model.cellml"], in: scratch.url)
    #expect(outcome.status == 65, "\(outcome)")
    #expect(outcome.standardError.hasPrefix("model.cellml: error: this is XML, not Antimony text"), "\(outcome)")
    #expect(outcome.standardError.split(separator: "\n").count == 1, "\(outcome)")
  }

  @Test func checkGoesOnAfterAnUnusableFile() throws {
    let scratch = try Scratch()
    try scratch.write("empty.ant", "")
    try scratch.write("net.ant", Osteon.network)
    let outcome = try Osteon.run(["check", "empty.ant", "net.ant"], in: scratch.url)
    #expect(outcome.status == 65, "\(outcome)")
    #expect(outcome.standardOutput.contains("net.ant: ok"), "\(outcome)")
  }
}
