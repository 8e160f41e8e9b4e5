/// Where a value sits in an experiment file, written as users read it:
/// `arms.denosumab.doses[0].species`.
public struct KeyPath: Sendable, Hashable, CustomStringConvertible {
  public enum Component: Sendable, Hashable {
    case key(String)
    case index(Int)
  }

  public var components: [Component]

  public init(_ components: [Component] = []) {
    self.components = components
  }

  public static let root = KeyPath()

  public func appending(_ key: String) -> KeyPath { KeyPath(components + [.key(key)]) }
  public func appending(_ index: Int) -> KeyPath { KeyPath(components + [.index(index)]) }

  /// The last key, if the path ends in one.
  public var lastKey: String? {
    if case .key(let key)? = components.last { key } else { nil }
  }

  public var description: String {
    var text = ""
    for component in components {
      switch component {
      case .key(let key):
        let bare = !key.isEmpty && key.utf8.allSatisfy { Self.isBareKeyByte($0) }
        if !text.isEmpty { text += "." }
        text += bare ? key : "\"\(key)\""
      case .index(let index): text += "[\(index)]"
      }
    }
    return text.isEmpty ? "(top level)" : text
  }

  static func isBareKeyByte(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
      || byte == 0x5F || byte == 0x2D
  }
}
