import OsteonSyntax

/// A model that instances can copy: its syntax and the file that defines it.
struct ModelDefinition {
  var syntax: ModelSyntax
  /// The file's path as the user gave it (or as an import resolved it), for messages.
  var file: String
}
