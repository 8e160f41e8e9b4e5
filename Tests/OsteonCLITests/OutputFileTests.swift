import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `simulate --out` never turns a link, a FIFO or a device into a regular file.
@Suite("Output files")
struct OutputFileTests {
  static let simulate = ["simulate", "net.ant", "--end", "10", "--points", "3"]

  @Test func symbolicLinkIsKeptAndItsTargetUpdated() throws {
    let scratch = try Scratch()
    try scratch.write("net.ant", Osteon.network)
    try FileManager.default.createDirectory(atPath: scratch.path("runs"), withIntermediateDirectories: true)
    try scratch.write("runs/target.csv", "old\n")
    try FileManager.default.createSymbolicLink(
      atPath: scratch.path("latest.csv"), withDestinationPath: "runs/target.csv")
    let outcome = try Osteon.run(Self.simulate + ["--out", "latest.csv"], in: scratch.url)
    #expect(outcome.status == 0, "\(outcome)")
    #expect(fileType(scratch.path("latest.csv")) == S_IFLNK)
    let destination = try FileManager.default.destinationOfSymbolicLink(atPath: scratch.path("latest.csv"))
    #expect(destination == "runs/target.csv")
    #expect(scratch.read("runs/target.csv")?.hasPrefix("time,S1,S2\n0.0,10.0,0.0\n") == true)
    #expect(scratch.exists("latest.manifest.json"))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path("runs"))
    #expect(leftovers == ["target.csv"], "a temporary file was left behind")
  }

  @Test func danglingLinkGetsItsTargetCreated() throws {
    let scratch = try Scratch()
    try scratch.write("net.ant", Osteon.network)
    try FileManager.default.createSymbolicLink(atPath: scratch.path("out.csv"), withDestinationPath: "new.csv")
    let outcome = try Osteon.run(Self.simulate + ["--out", "out.csv"], in: scratch.url)
    #expect(outcome.status == 0, "\(outcome)")
    #expect(fileType(scratch.path("out.csv")) == S_IFLNK)
    #expect(scratch.read("new.csv")?.hasPrefix("time,") == true)
  }

  @Test func replacedFileKeepsItsPermissions() throws {
    let scratch = try Scratch()
    try scratch.write("net.ant", Osteon.network)
    try scratch.write("out.csv", "old\n")
    #expect(chmod(scratch.path("out.csv"), 0o640) == 0)
    let outcome = try Osteon.run(Self.simulate + ["--out", "out.csv"], in: scratch.url)
    #expect(outcome.status == 0, "\(outcome)")
    let attributes = try FileManager.default.attributesOfItem(atPath: scratch.path("out.csv"))
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o640)
    #expect(scratch.read("out.csv")?.hasPrefix("time,") == true)
  }

  @Test func fifoIsWrittenIntoForItsReader() throws {
    let scratch = try Scratch()
    try scratch.write("net.ant", Osteon.network)
    #expect(mkfifo(scratch.path("pipe"), 0o644) == 0)
    let reader = Process()
    reader.executableURL = URL(fileURLWithPath: "/bin/cat")
    reader.arguments = [scratch.path("pipe")]
    _ = FileManager.default.createFile(atPath: scratch.path("received"), contents: nil)
    let received = try #require(FileHandle(forWritingAtPath: scratch.path("received")))
    reader.standardOutput = received
    try reader.run()
    let outcome = try Osteon.run(Self.simulate + ["--event-rows", "--out", "pipe"], in: scratch.url)
    // Should osteon never have opened the FIFO, let the reader go.
    let unblock = open(scratch.path("pipe"), O_WRONLY | O_NONBLOCK)
    if unblock >= 0 { close(unblock) }
    reader.waitUntilExit()
    try received.close()
    #expect(outcome.status == 0, "\(outcome)")
    #expect(fileType(scratch.path("pipe")) == S_IFIFO)
    let csv = try #require(scratch.read("received"))
    #expect(csv.hasPrefix("time,S1,S2,event_row\n0.0,10.0,0.0,0\n"), "\(csv)")
    #expect(!scratch.exists("pipe.manifest.json"))
    // time, S1, S2 and event_row.
    #expect(outcome.standardError.contains("pipe: 5 rows × 4 columns"), "\(outcome)")
  }

  @Test(.enabled(if: Osteon.canRunUnprivileged && FileManager.default.fileExists(atPath: "/dev/null")))
  func devNullStaysADevice() throws {
    let scratch = try Scratch()
    try scratch.write("net.ant", Osteon.network)
    let outcome = try Osteon.run(Self.simulate + ["--out", "/dev/null"], in: scratch.url, unprivileged: true)
    #expect(outcome.status == 0, "\(outcome)")
    #expect(fileType("/dev/null") == S_IFCHR)
    #expect(!FileManager.default.fileExists(atPath: "/dev/null.manifest.json"))
    #expect(outcome.standardError.hasPrefix("/dev/null: 3 rows × 3 columns"), "\(outcome)")
    #expect(!outcome.standardError.contains("manifest"), "\(outcome)")
  }

  @Test(.enabled(if: Osteon.canRunUnprivileged && FileManager.default.fileExists(atPath: "/dev/full")))
  func devFullIsAWriteErrorAndStaysADevice() throws {
    let scratch = try Scratch()
    try scratch.write("net.ant", Osteon.network)
    let outcome = try Osteon.run(Self.simulate + ["--out", "/dev/full"], in: scratch.url, unprivileged: true)
    #expect(outcome.status == 73, "\(outcome)")
    #expect(outcome.standardError.contains("/dev/full: error: cannot write: No space left on device"), "\(outcome)")
    #expect(fileType("/dev/full") == S_IFCHR)
    #expect(!FileManager.default.fileExists(atPath: "/dev/full.manifest.json"))
  }

  @Test(.enabled(if: Osteon.canRunUnprivileged && FileManager.default.fileExists(atPath: "/dev/full")))
  func fullStandardOutputIsAWriteError() throws {
    let scratch = try Scratch()
    try scratch.write("net.ant", Osteon.network)
    let outcome = try Osteon.run(
      Self.simulate + ["--out", "-"], in: scratch.url, unprivileged: true, standardOutput: "/dev/full")
    #expect(outcome.status == 73, "\(outcome)")
    #expect(outcome.standardError.contains("No space left on device"), "\(outcome)")
  }

  @Test(.enabled(if: Osteon.canRunUnprivileged && FileManager.default.fileExists(atPath: "/dev/stdout")))
  func devStdoutGoesToStandardOutput() throws {
    let scratch = try Scratch()
    try scratch.write("net.ant", Osteon.network)
    let outcome = try Osteon.run(Self.simulate + ["--out", "/dev/stdout"], in: scratch.url, unprivileged: true)
    #expect(outcome.status == 0, "\(outcome)")
    #expect(outcome.standardOutput.hasPrefix("time,S1,S2\n0.0,10.0,0.0\n"), "\(outcome)")
    #expect(outcome.standardOutput.split(separator: "\n").count == 4)
    #expect(fileType("/dev/stdout") == S_IFLNK)
  }

  /// A shared folder the user may not write in, holding files they may.
  @Test(.enabled(if: Osteon.canRunUnprivileged))
  func readOnlyFolderWithWritableFilesIsWrittenInPlace() throws {
    let scratch = try Scratch()
    try scratch.write("net.ant", Osteon.network)
    try FileManager.default.createDirectory(atPath: scratch.path("shared"), withIntermediateDirectories: true)
    try scratch.write("shared/out.csv", "old\n")
    try scratch.write("shared/out.manifest.json", "{}\n")
    try scratch.write("shared/other.csv", "old\n")
    for name in ["shared/out.csv", "shared/out.manifest.json", "shared/other.csv"] {
      #expect(chmod(scratch.path(name), 0o666) == 0)
    }
    #expect(chmod(scratch.path("shared"), 0o555) == 0)
    let outcome = try Osteon.run(Self.simulate + ["--out", "shared/out.csv"], in: scratch.url, unprivileged: true)
    #expect(outcome.status == 0, "\(outcome)")
    #expect(scratch.read("shared/out.csv")?.hasPrefix("time,S1,S2\n") == true)
    #expect(scratch.read("shared/out.manifest.json")?.contains("\"tool\": \"osteon\"") == true)
    #expect(fileType(scratch.path("shared/out.csv")) == S_IFREG)

    // The CSV goes in place; its manifest cannot be created, which is an error.
    let second = try Osteon.run(Self.simulate + ["--out", "shared/other.csv"], in: scratch.url, unprivileged: true)
    #expect(second.status == 73, "\(second)")
    #expect(second.standardError.contains("shared/other.manifest.json"), "\(second)")
    #expect(scratch.read("shared/other.csv")?.hasPrefix("time,S1,S2\n") == true)

    // A new file in that folder cannot be made at all.
    let third = try Osteon.run(Self.simulate + ["--out", "shared/new.csv"], in: scratch.url, unprivileged: true)
    #expect(third.status == 73, "\(third)")
    #expect(!scratch.exists("shared/new.csv"))
  }

  @Test func directoryIsRefused() throws {
    let scratch = try Scratch()
    try scratch.write("net.ant", Osteon.network)
    try FileManager.default.createDirectory(atPath: scratch.path("folder"), withIntermediateDirectories: true)
    let outcome = try Osteon.run(Self.simulate + ["--out", "folder"], in: scratch.url)
    #expect(outcome.status == 73, "\(outcome)")
    #expect(outcome.standardError.contains("folder: error: cannot write: it is a directory"), "\(outcome)")
  }
}
