import Foundation

/// Writing to the standard streams without Swift 6 global-state warnings.
enum Output {
  static func standardError(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
  }

  static func standardOutput(_ text: String) {
    FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
  }
}

/// sysexits.h: the input data was incorrect.
let exitDataError: Int32 = 65

/// sysexits.h: an internal or numerical failure (here: the simulation failed).
let exitSoftwareFailure: Int32 = 70

/// sysexits.h: an output file could not be created.
let exitCannotCreate: Int32 = 73
