import Foundation

/// Where and when an output was made, for its manifest.
enum Provenance {
  /// Now, as ISO 8601 in UTC (`2025-01-31T12:00:00Z`).
  static func timestamp() -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date())
  }

  /// The commit checked out in the Osteon repository this executable sits in (a
  /// build folder of a checkout), read from `.git` without running git; `nil` for an
  /// installed copy. A work tree with uncommitted changes reports its HEAD all the same.
  static func gitCommit() -> String? {
    guard let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() else { return nil }
    let files = FileManager.default
    var folder = executable.deletingLastPathComponent()
    while folder.path != "/" && !folder.path.isEmpty {
      let dotGit = folder.appendingPathComponent(".git")
      var isFolder: ObjCBool = false
      if files.fileExists(atPath: dotGit.path, isDirectory: &isFolder) {
        // Only Osteon's own repository: a home folder under git says nothing about the build.
        guard files.fileExists(atPath: folder.appendingPathComponent("Sources/osteon").path) else { return nil }
        if isFolder.boolValue { return head(in: dotGit) }
        // A linked work tree: `.git` is a file naming the real git folder.
        guard let text = read(dotGit), text.hasPrefix("gitdir:") else { return nil }
        let target = text.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespaces)
        return head(in: URL(fileURLWithPath: target, relativeTo: folder).standardizedFileURL)
      }
      folder = folder.deletingLastPathComponent()
    }
    return nil
  }

  /// HEAD of a git folder: a detached commit, or the commit of the branch it names.
  static func head(in gitFolder: URL) -> String? {
    guard let head = read(gitFolder.appendingPathComponent("HEAD")) else { return nil }
    guard head.hasPrefix("ref:") else { return commit(head) }
    let reference = head.dropFirst("ref:".count).trimmingCharacters(in: .whitespaces)
    // Branches live in the common folder of a linked work tree.
    var folders = [gitFolder]
    if let common = read(gitFolder.appendingPathComponent("commondir")) {
      folders.append(URL(fileURLWithPath: common, relativeTo: gitFolder).standardizedFileURL)
    }
    for folder in folders {
      if let loose = read(folder.appendingPathComponent(reference)) { return commit(loose) }
    }
    for folder in folders {
      guard let packed = read(folder.appendingPathComponent("packed-refs")) else { continue }
      for line in packed.split(separator: "\n") {
        let parts = line.split(separator: " ")
        if parts.count == 2, parts[1] == reference { return commit(String(parts[0])) }
      }
    }
    return nil
  }

  static func commit(_ text: String) -> String? {
    let hex = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard hex.count == 40 || hex.count == 64, hex.allSatisfy(\.isHexDigit) else { return nil }
    return hex
  }

  static func read(_ url: URL) -> String? {
    guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
