import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The outcome of one run of the `osteon` executable.
struct Outcome: CustomStringConvertible {
  var status: Int32
  var standardOutput: String
  var standardError: String
  var standardErrorBytes: [UInt8]

  var description: String { "exit \(status)\n--- stdout\n\(standardOutput)\n--- stderr\n\(standardError)" }
}

/// Runs the `osteon` built beside this test bundle, so the tests see exactly what a
/// user's shell would: exit status, both streams and the files left behind.
enum Osteon {
  /// `osteon` in the build products folder (or `OSTEON_EXECUTABLE`).
  static let executable: URL? = {
    if let path = ProcessInfo.processInfo.environment["OSTEON_EXECUTABLE"] { return URL(fileURLWithPath: path) }
    var folders: [URL] = []
    for bundle in [Bundle.main] + Bundle.allBundles {
      folders.append(bundle.bundleURL)
      folders.append(bundle.bundleURL.deletingLastPathComponent())
    }
    if let first = CommandLine.arguments.first {
      folders.append(URL(fileURLWithPath: first).deletingLastPathComponent())
    }
    for folder in folders {
      let candidate = folder.appendingPathComponent("osteon")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
  }()

  static let setpriv = "/usr/bin/setpriv"

  /// Whether runs can be made without root's rights: as root, a test that wrote to
  /// `/dev/null` through a broken osteon would replace the system's device, and
  /// permission bits would not stop the tool from creating files.
  static let canRunUnprivileged: Bool = {
    if geteuid() != 0 { return true }
    guard executable != nil, FileManager.default.isExecutableFile(atPath: setpriv),
      let outcome = try? run(["--version"], in: URL(fileURLWithPath: "/"), unprivileged: true)
    else { return false }
    return outcome.status == 0
  }()

  /// Runs `osteon arguments` in `folder`; `standardOutput` replaces the captured
  /// standard output (a file or device to write into).
  static func run(
    _ arguments: [String], in folder: URL, unprivileged: Bool = false, standardOutput: String? = nil,
    timeout: Double = 120, interruptAfter: Double? = nil
  ) throws -> Outcome {
    let executable = try #require(Osteon.executable, "build osteon first: swift build --build-tests")
    let capture = try Scratch()
    let outPath = capture.url.appendingPathComponent("stdout").path
    let errPath = capture.url.appendingPathComponent("stderr").path
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    let process = Process()
    if unprivileged && geteuid() == 0 {
      process.executableURL = URL(fileURLWithPath: setpriv)
      process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", executable.path] + arguments
    } else {
      process.executableURL = executable
      process.arguments = arguments
    }
    process.currentDirectoryURL = folder
    process.standardInput = FileHandle.nullDevice
    let outHandle = try #require(FileHandle(forWritingAtPath: standardOutput ?? outPath))
    let errHandle = try #require(FileHandle(forWritingAtPath: errPath))
    process.standardOutput = outHandle
    process.standardError = errHandle
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    let interruption = interruptAfter.map { Date().addingTimeInterval($0) }
    var interrupted = false
    while process.isRunning && Date() < deadline {
      if let interruption, !interrupted, Date() >= interruption {
        process.interrupt()  // SIGINT, as Ctrl-C sends
        interrupted = true
      }
      usleep(5000)
    }
    if process.isRunning {
      process.terminate()
      Issue.record("osteon \(arguments.joined(separator: " ")) ran longer than \(timeout) s")
    }
    process.waitUntilExit()
    try outHandle.close()
    try errHandle.close()
    let errorBytes = [UInt8](FileManager.default.contents(atPath: errPath) ?? Data())
    return Outcome(
      status: process.terminationStatus,
      standardOutput: String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self),
      standardError: String(decoding: errorBytes, as: UTF8.self), standardErrorBytes: errorBytes)
  }

  /// A small network with every kind of column: a concentration, an amount, a
  /// compartment, parameters, a rule, reactions and an event.
  static let network = """
    // A small network for the command-line tests.
    compartment cell = 2
    species S1 in cell = 10
    substanceOnly species S2 in cell = 0
    k1 = 0.1
    k2 = 0.05
    total := S1*cell + S2
    J1: S1 -> S2; k1*S1*cell
    J2: S2 -> ; k2*S2
    E1: at time >= 5: k1 = 0.2

    """
}

/// A fresh folder under the system's temporary folder, removed afterwards (even
/// when a test left it read-only).
final class Scratch {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("osteon-cli-\(UUID().uuidString)")
    // Readable by everyone: unprivileged runs read the networks in it.
    try FileManager.default.createDirectory(
      at: url, withIntermediateDirectories: true,
      attributes: [
        .posixPermissions: 0o755
      ])
  }

  deinit {
    if let paths = FileManager.default.enumerator(atPath: url.path) {
      for case let path as String in paths {
        _ = chmod(url.appendingPathComponent(path).path, 0o755)
      }
    }
    _ = chmod(url.path, 0o755)
    try? FileManager.default.removeItem(at: url)
  }

  func path(_ name: String) -> String { url.appendingPathComponent(name).path }

  /// Writes a file (readable by everyone) and returns its name.
  @discardableResult
  func write(_ name: String, _ text: String) throws -> String {
    try write(name, bytes: Array(text.utf8))
  }

  @discardableResult
  func write(_ name: String, bytes: [UInt8]) throws -> String {
    try Data(bytes).write(to: url.appendingPathComponent(name))
    _ = chmod(path(name), 0o644)
    return name
  }

  func read(_ name: String) -> String? {
    FileManager.default.contents(atPath: path(name)).map { String(decoding: $0, as: UTF8.self) }
  }

  func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }
}

/// The file type bits of a path, links not followed.
func fileType(_ path: String) -> mode_t? {
  var info = stat()
  guard lstat(path, &info) == 0 else { return nil }
  return info.st_mode & S_IFMT
}
