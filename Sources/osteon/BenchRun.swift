import ArgumentParser
import Foundation

struct BenchRun: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench-run",
    abstract: "Time whole `osteon run` processes: an experiment, and a scan on 1 and on 2 threads.",
    discussion: """
      Starts `osteon run EXPERIMENT --quiet` as a new process --repeat times (after one \
      warm-up) and prints the minimum, median and maximum wall time: everything a user \
      waits for (start, load, compile, every run, the files written). Then does the same \
      for SCAN with --threads 1 and with --threads 2, interleaved, and prints the \
      speed-up. Build with `-c release` for meaningful numbers.

      Defaults: Networks/experiments/lemaire2004_injections.toml (nine arms) and \
      Networks/experiments/lemaire2004_pth_dose_response.toml (1,000 scan points).
      """
  )

  @Argument(help: "The experiment to time.")
  var experiment = "Networks/experiments/lemaire2004_injections.toml"

  @Option(help: "An experiment with a scan, timed on 1 and on 2 threads.")
  var scan = "Networks/experiments/lemaire2004_pth_dose_response.toml"

  @Option(name: .customLong("repeat"), help: "Timed runs of each command after one warm-up.")
  var repetitions = 21

  func validate() throws {
    guard repetitions >= 1 else { throw ValidationError("--repeat must be at least 1") }
  }

  func run() throws {
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("osteon-bench-run-\(getpid())")
    defer { try? FileManager.default.removeItem(at: scratch) }
    // posix_spawn and waitpid: Foundation's Process polls for the child's exit,
    // which adds tens of milliseconds to what is measured.
    func time(_ arguments: [String]) throws -> Double {
      let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
      defer { for pointer in argv { free(pointer) } }
      var actions = posix_spawn_file_actions_t()
      posix_spawn_file_actions_init(&actions)
      defer { posix_spawn_file_actions_destroy(&actions) }
      posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
      posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
      var child: pid_t = 0
      let start = ContinuousClock.now
      guard posix_spawn(&child, executable.path, &actions, nil, argv, environ) == 0 else {
        throw ValidationError("cannot start \(executable.path)")
      }
      var status: Int32 = 0
      while waitpid(child, &status, 0) == -1 && errno == EINTR {}
      let elapsed = ContinuousClock.now - start
      guard status == 0 else {
        throw ValidationError("`osteon \(arguments.joined(separator: " "))` failed (wait status \(status))")
      }
      return Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) * 1e-15
    }
    func report(_ label: String, _ times: [Double]) -> Double {
      let sorted = times.sorted()
      let median = sorted[sorted.count / 2]
      Output.standardOutput(
        "\(label): min \(Self.format(sorted[0])) ms, median \(Self.format(median)) ms, max \(Self.format(sorted[sorted.count - 1])) ms (\(times.count) runs)"
      )
      return median
    }
    let whole = ["run", experiment, "--out", scratch.appendingPathComponent("one").path, "--quiet"]
    _ = try time(whole)
    var times: [Double] = []
    for _ in 0..<repetitions { times.append(try time(whole)) }
    _ = report("osteon run \(experiment)", times)

    let onePath = scratch.appendingPathComponent("scan1").path
    let twoPath = scratch.appendingPathComponent("scan2").path
    let single = ["run", scan, "--out", onePath, "--quiet", "--threads", "1"]
    let double = ["run", scan, "--out", twoPath, "--quiet", "--threads", "2"]
    _ = try time(single)
    _ = try time(double)
    var singleTimes: [Double] = []
    var doubleTimes: [Double] = []
    let rounds = max(1, repetitions / 4)
    for _ in 0..<rounds {
      singleTimes.append(try time(single))
      doubleTimes.append(try time(double))
    }
    let a = report("osteon run \(scan) --threads 1", singleTimes)
    let b = report("osteon run \(scan) --threads 2", doubleTimes)
    Output.standardOutput("speed-up on 2 threads (medians): \(Self.format(a / b))×")
    let files = (try? FileManager.default.contentsOfDirectory(atPath: onePath))?.filter { $0.hasSuffix(".csv") } ?? []
    let same =
      !files.isEmpty
      && files.allSatisfy {
        FileManager.default.contentsEqual(atPath: onePath + "/" + $0, andPath: twoPath + "/" + $0)
      }
    Output.standardOutput("\(files.count) CSV files identical on 1 and 2 threads: \(same ? "yes" : "NO")")
  }

  static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}
