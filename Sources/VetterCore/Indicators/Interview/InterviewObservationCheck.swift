import Foundation

/// The shape the interview indicators share: the interviews where the interviewer recorded
/// something, those where what was recorded is the finding, and one piece of evidence for each.
enum InterviewObservationCheck {
    static func evaluate(
        _ context: ScreeningContext,
        recorded: (InterviewObservations) -> Bool,
        flagged: (InterviewObservations) -> Bool,
        notRecorded: String,
        field: String, observed: String, expected: String,
        explanation: (_ flagged: Int, _ recorded: Int) -> String
    ) -> IndicatorOutcome {
        let withRecord = context.application.events.enumerated().filter { $0.element.observations.map(recorded) == true }
        guard !withRecord.isEmpty else { return .skipped(reason: notRecorded) }
        let hits = withRecord.filter { $0.element.observations.map(flagged) == true }
        guard !hits.isEmpty else { return .passed() }
        return .fired(
            explanation: explanation(hits.count, withRecord.count),
            evidence: hits.map { index, event in
                Evidence(field: "events[\(index)].observations.\(field)", observed: observed, expected: expected,
                         source: "\(event.type) event at \(DateParsing.string(event.at))")
            }
        )
    }
}
