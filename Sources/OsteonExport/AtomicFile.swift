#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Error writing an output file.
public struct OutputFileError: Error, CustomStringConvertible, Sendable {
  public var path: String
  public var reason: String
  public var description: String { "\(path): error: cannot write: \(reason)" }
}

/// Writes a file all at once: into a temporary file beside it, then renamed over the
/// destination, so no reader ever sees half a file and a failure leaves nothing.
public enum AtomicFile {
  public static func write(_ text: String, to path: String) throws(OutputFileError) {
    let temporary = path + ".tmp-\(getpid())"
    guard let handle = fopen(temporary, "wb") else {
      throw OutputFileError(path: path, reason: String(cString: strerror(errno)))
    }
    let bytes = Array(text.utf8)
    let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, handle) }
    let flushed = fflush(handle) == 0
    fclose(handle)
    guard written == bytes.count, flushed else {
      unlink(temporary)
      throw OutputFileError(path: path, reason: "short write (disk full?)")
    }
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw OutputFileError(path: path, reason: reason)
    }
  }
}
