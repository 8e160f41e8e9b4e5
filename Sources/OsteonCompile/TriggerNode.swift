import OsteonSyntax

/// A trigger prepared for evaluation: its logical structure, with each comparison
/// marked once for how it moves.
package indirect enum TriggerNode: Sendable {
  /// `banded`: it reads the states (a tolerance band applies); `moves`: it changes
  /// between events and switches, so the integrator must watch it at every step.
  case comparison(BinaryOperator, Term, Term, banded: Bool, moves: Bool)
  /// A comparison of time with values that change only at events, affine in time
  /// between switches: it changes only at a `TimeSwitch`. `slope` is d(lhs − rhs)/dt.
  case timeSwitch(BinaryOperator, Term, Term, slope: Term)
  case and(TriggerNode, TriggerNode)
  case or(TriggerNode, TriggerNode)
  case not(TriggerNode)
  case value(Term)

  /// What classifying a trigger's comparisons needs from the model.
  package struct Context: Sendable {
    let timeRules: TimeRuleInliner
    let stateDependentSlots: Set<Int>
    let continuousSlots: Set<Int>
  }

  package init(_ term: Term, model: CompiledModel) {
    self.init(
      term,
      context: Context(
        timeRules: model.timeRules, stateDependentSlots: model.stateDependentSlots,
        continuousSlots: model.continuousSlots))
  }

  package init(_ term: Term, context model: Context) {
    func reads(_ term: Term, _ slots: Set<Int>) -> Bool {
      var found = false
      term.forEachSlot { if slots.contains($0) { found = true } }
      return found
    }
    switch term {
    case .binary(let op, let lhs, let rhs) where op.isComparison:
      let difference = model.timeRules.inlined(.binary(.subtract, lhs, rhs)).simplified()
      if let own = TimeSwitch.affine(.signChange, difference, isStatic: model.timeRules.isStatic) {
        self = .timeSwitch(op, lhs, rhs, slope: own.slope)
      } else {
        self = .comparison(
          op, lhs, rhs, banded: reads(lhs, model.stateDependentSlots) || reads(rhs, model.stateDependentSlots),
          moves: reads(lhs, model.continuousSlots) || reads(rhs, model.continuousSlots))
      }
    case .binary(.and, let lhs, let rhs):
      self = .and(TriggerNode(lhs, context: model), TriggerNode(rhs, context: model))
    case .binary(.or, let lhs, let rhs):
      self = .or(TriggerNode(lhs, context: model), TriggerNode(rhs, context: model))
    case .not(let inner):
      self = .not(TriggerNode(inner, context: model))
    default:
      self = .value(term)
    }
  }

  /// The comparisons that move with the states.
  package var bandedComparisons: [TriggerNode] {
    switch self {
    case .comparison(_, _, _, let banded, _): return banded ? [self] : []
    case .and(let lhs, let rhs), .or(let lhs, let rhs): return lhs.bandedComparisons + rhs.bandedComparisons
    case .not(let inner): return inner.bandedComparisons
    case .timeSwitch, .value: return []
    }
  }

  /// Whether a comparison moves with time but not with the states, in a way no time
  /// switch predicts.
  package var movesWithTimeAlone: Bool {
    switch self {
    case .comparison(_, _, _, let banded, let moves): return moves && !banded
    case .and(let lhs, let rhs), .or(let lhs, let rhs): return lhs.movesWithTimeAlone || rhs.movesWithTimeAlone
    case .not(let inner): return inner.movesWithTimeAlone
    case .timeSwitch, .value: return false
    }
  }

  /// Whether the trigger can change between switches and events, so that it must be
  /// checked after every step.
  package func moves(continuousSlots: Set<Int>) -> Bool {
    switch self {
    case .comparison(_, _, _, _, let moves): return moves
    case .timeSwitch: return false
    case .and(let lhs, let rhs), .or(let lhs, let rhs):
      return lhs.moves(continuousSlots: continuousSlots) || rhs.moves(continuousSlots: continuousSlots)
    case .not(let inner): return inner.moves(continuousSlots: continuousSlots)
    case .value(let term):
      var found = false
      term.forEachSlot { if continuousSlots.contains($0) { found = true } }
      return found
    }
  }
}
