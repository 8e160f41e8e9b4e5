import ArgumentParser
import Foundation
import OsteonSimulate

/// Writing to the standard streams without Swift 6 global-state warnings.
enum Output {
  static func standardError(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
  }

  static func standardOutput(_ text: String) {
    FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
  }
}

/// Reports a usage error found in `run()` as ArgumentParser reports those of
/// `validate()`: with the subcommand's usage, not the top-level one (a
/// `ValidationError` thrown from `run()` would get `osteon <subcommand>`).
func usageError(_ message: String, command: ParsableCommand.Type) -> ExitCode {
  let usage = Osteon.usageString(for: command).replacingOccurrences(of: "\n", with: "\n       ")
  let name = command.configuration.commandName ?? command._commandName
  Output.standardError(
    "Error: \(message)\nUsage: \(usage)\n  See 'osteon \(name) --help' for more information.")
  return ExitCode.validationFailure
}

/// sysexits.h: the input data was incorrect.
let exitDataError: Int32 = 65

/// sysexits.h: an internal or numerical failure (here: the simulation failed).
let exitSoftwareFailure: Int32 = 70

/// sysexits.h: an output file could not be created.
let exitCannotCreate: Int32 = 73

/// Exit status after Ctrl-C (128 + SIGINT), as shells report it.
let exitInterrupted: Int32 = 130

/// Set by Ctrl-C: the running simulation stops at its next step and nothing is written.
let interruption = CancellationFlag()

/// Routes Ctrl-C to `interruption` instead of killing the process mid-write.
func stopOnInterrupt() {
  _ = signal(SIGINT) { _ in interruption.cancel() }
  // A parent may have blocked SIGINT for its children (test runners do): unblock it.
  var set = sigset_t()
  sigemptyset(&set)
  sigaddset(&set, SIGINT)
  _ = pthread_sigmask(SIG_UNBLOCK, &set, nil)
}
