import Foundation
import OsteonSensitivity
import Synchronization

/// A file that finished rows are appended to as they come, so that an interrupted
/// run resumes from them (`osteon sensitivity … ` again with the same --out).
final class SensitivityCheckpoint: Sendable {
  let path: String
  private let handle: Mutex<FileHandle?>
  private let count: Int

  /// Opens (creating with the header when new) the checkpoint for appending.
  init(path: String, header: ShardHeader, names: [String], fresh: Bool) throws {
    self.path = path
    count = names.count
    if fresh {
      let text = StudyFiles.shardText(header: header, names: names, outcomes: [])
      guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
        throw CheckpointError(path: path)
      }
    }
    guard let file = FileHandle(forWritingAtPath: path) else { throw CheckpointError(path: path) }
    file.seekToEndOfFile()
    handle = Mutex(file)
  }

  func append(_ outcomes: [RowOutcome]) {
    let text = outcomes.map { StudyFiles.rowLine($0, outputs: count) }.joined()
    handle.withLock { $0?.write(Data(text.utf8)) }
  }

  func close() {
    handle.withLock {
      $0?.closeFile()
      $0 = nil
    }
  }

  struct CheckpointError: Error, CustomStringConvertible {
    var path: String
    var description: String { "\(path): error: cannot write the checkpoint file" }
  }
}
