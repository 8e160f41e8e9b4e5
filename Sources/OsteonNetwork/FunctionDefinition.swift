import OsteonSyntax

/// `function name(a, b) body end`: a formula that rate laws and rules may call.
public struct FunctionDefinition: Sendable {
  public var name: String
  public var parameters: [String]
  public var body: Expression
  public var displayName: String?
  public var range: SourceRange
}
