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

  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }
}

/// Writes output files without ever turning a link, a FIFO or a device into a
/// regular file, and without leaving half a file behind where it can avoid it.
///
/// Symbolic links are followed, so the link stays and its target is updated. A
/// regular file (or a new one) is written into a temporary file beside it and
/// renamed over it, so no reader sees half a file; when the folder does not let us
/// create that temporary file but the file itself is writable, it is overwritten in
/// place. A FIFO, device or socket, or an open descriptor (`/dev/stdout`,
/// `/dev/fd/N`), is written straight into.
public enum OutputFile {
  /// Where a path leads once symbolic links are followed.
  public enum Destination: Sendable, Equatable {
    /// A regular file, or a file still to be created.
    case file(String)
    /// A FIFO, character or block device or socket.
    case stream(String)
    /// A link to an open descriptor (`/proc/self/fd/N`): the kernel resolves it.
    case descriptor(String)

    /// Whether the destination is a regular file (manifests go only beside those).
    public var isRegularFile: Bool {
      if case .file = self { return true }
      return false
    }
  }

  /// Follows symbolic links from `path` to what a write would reach.
  public static func destination(of path: String) throws(OutputFileError) -> Destination {
    var current = path
    for _ in 0..<40 {
      var info = stat()
      guard lstat(current, &info) == 0 else {
        // A new file (or the missing target of a link): created when written.
        if errno == ENOENT { return .file(current) }
        throw OutputFileError(path: path, reason: String(cString: strerror(errno)))
      }
      switch info.st_mode & S_IFMT {
      case S_IFREG:
        return .file(current)
      case S_IFDIR:
        throw OutputFileError(path: path, reason: "\(current == path ? "it" : current) is a directory")
      case S_IFLNK:
        if isDescriptorLink(current) { return .descriptor(current) }
        guard let target = readLink(current) else {
          throw OutputFileError(path: path, reason: String(cString: strerror(errno)))
        }
        current = target.hasPrefix("/") ? target : folderPrefix(of: current) + target
      default:
        return .stream(current)
      }
    }
    throw OutputFileError(path: path, reason: "too many levels of symbolic links")
  }

  /// Writes `text` to `path` by the rules above and says where it went.
  @discardableResult
  public static func write(_ text: String, to path: String) throws(OutputFileError) -> Destination {
    let destination = try destination(of: path)
    let bytes = Array(text.utf8)
    switch destination {
    case .file(let target):
      try replace(target, with: bytes, reportedAs: path)
    case .stream(let target):
      try writeStraight(bytes, to: target, flags: 0, reportedAs: path)
    case .descriptor(let target):
      if let descriptor = ownDescriptor(target) {
        // Our own descriptor (`/dev/stdout`): write through it, with the offset and
        // rights the shell opened it with (reopening may be refused).
        if let failure = writeAll(bytes, to: descriptor) { throw OutputFileError(path: path, reason: failure) }
      } else {
        // Append, as the shell's `>>` would have it; `>` has already emptied the file.
        try writeStraight(bytes, to: target, flags: O_APPEND, reportedAs: path)
      }
    }
    return destination
  }

  /// Writes `text` to standard output, reporting a failed write (a full disk, a
  /// closed pipe) instead of trapping.
  public static func writeStandardOutput(_ text: String) throws(OutputFileError) {
    let bytes = Array(text.utf8)
    if let failure = writeAll(bytes, to: STDOUT_FILENO) {
      throw OutputFileError(path: "<standard output>", reason: failure)
    }
  }

  /// Temporary file, then rename; in place when only the file is writable.
  static func replace(_ target: String, with bytes: [UInt8], reportedAs path: String) throws(OutputFileError) {
    var existing = stat()
    let exists = stat(target, &existing) == 0
    let name = target.split(separator: "/").last.map(String.init) ?? target
    var temporary = ""
    var descriptor: Int32 = -1
    for attempt in 0..<100 {
      temporary = folderPrefix(of: target) + ".\(name).tmp-\(getpid())-\(attempt)"
      descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
      if descriptor >= 0 || errno != EEXIST { break }
    }
    guard descriptor >= 0 else {
      let code = errno
      if exists, [EACCES, EPERM, EROFS].contains(code), access(target, W_OK) == 0 {
        return try writeStraight(bytes, to: target, flags: O_TRUNC, reportedAs: path)
      }
      let prefix = folderPrefix(of: target)
      let folder = prefix.isEmpty ? "." : prefix == "/" ? "/" : String(prefix.dropLast())
      let what = exists ? "a temporary file" : "a file"
      throw OutputFileError(
        path: path, reason: "cannot create \(what) in \(folder): \(String(cString: strerror(code)))")
    }
    // The new file keeps the permissions of the one it replaces.
    if exists { _ = fchmod(descriptor, existing.st_mode & 0o777) }
    var failure = writeAll(bytes, to: descriptor)
    if close(descriptor) != 0, failure == nil { failure = String(cString: strerror(errno)) }
    if failure == nil, rename(temporary, target) != 0 { failure = String(cString: strerror(errno)) }
    if let failure {
      unlink(temporary)
      throw OutputFileError(path: path, reason: failure)
    }
  }

  /// Opens an existing file, FIFO or device and writes into it: no temporary file,
  /// no rename.
  static func writeStraight(_ bytes: [UInt8], to target: String, flags: Int32, reportedAs path: String)
    throws(OutputFileError)
  {
    let descriptor = open(target, O_WRONLY | O_CLOEXEC | flags)
    guard descriptor >= 0 else { throw OutputFileError(path: path, reason: String(cString: strerror(errno))) }
    var failure = writeAll(bytes, to: descriptor)
    if close(descriptor) != 0, failure == nil { failure = String(cString: strerror(errno)) }
    if let failure { throw OutputFileError(path: path, reason: failure) }
  }

  /// Writes every byte, retrying interrupted and partial writes; the error text on failure.
  static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> String? {
    bytes.withUnsafeBytes { buffer -> String? in
      guard let base = buffer.baseAddress else { return nil }
      var offset = 0
      while offset < buffer.count {
        let written = systemWrite(descriptor, base + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return String(cString: strerror(errno))
        }
        if written == 0 { return "nothing could be written" }
        offset += written
      }
      return nil
    }
  }

  /// `dir/` of `dir/name`, or an empty string for a bare name.
  static func folderPrefix(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "" }
    return String(path[...slash])
  }

  static func readLink(_ path: String) -> String? {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink(path, &buffer, buffer.count - 1)
    guard count >= 0 else { return nil }
    return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// N for `/proc/self/fd/N` or `/proc/<our pid>/fd/N`.
  static func ownDescriptor(_ path: String) -> Int32? {
    let folder = folderPrefix(of: path)
    guard let number = Int32(path.dropFirst(folder.count)), number >= 0,
      let resolved = realpath(folder.isEmpty ? "." : folder, nil)
    else { return nil }
    defer { free(resolved) }
    return String(cString: resolved) == "/proc/\(getpid())/fd" ? number : nil
  }

  /// A link in `/proc/<pid>/fd` (where `/dev/stdout` and `/dev/fd/N` lead on
  /// Linux): its text is not a path to follow.
  static func isDescriptorLink(_ path: String) -> Bool {
    let folder = folderPrefix(of: path)
    guard let resolved = realpath(folder.isEmpty ? "." : folder, nil) else { return false }
    defer { free(resolved) }
    return String(cString: resolved).hasPrefix("/proc/")
  }
}

/// `write(2)`, which `OutputFile.write` would otherwise shadow.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, bytes, count)
}
