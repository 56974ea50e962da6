import Foundation

/// Interviews where the interviewer's check of the claimed location did not hold up (catalog A6).
public struct LocationCheckIndicator: Indicator {
    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "INT-LOCATION-CHECK",
        title: "Answers about the claimed location did not hold up",
        category: .location,
        defaultPoints: 15,
        strength: .moderate,
        inputs: ["events[].observations.location_check"],
        rationale: """
            The FBI recommends that interviewers "point the camera out a window and ask questions about their claimed \
            current location and the location listed on their identification documents" (S6). Suspected workers could \
            not name local restaurants (S30), "struggled to answer basic questions about the cities they allegedly \
            worked in" (S39), and claimed an earthquake where there was none (S40). The catalog rates it moderate as a \
            human-administered check (A6). It is the interviewer's structured record of one check, asked of every remote \
            candidate alike; it never judges accent or language. Someone who has just moved, or who lives on the edge of \
            the place named, can stumble, so it weighs 15: alone it stays below review, and with one independent \
            inconsistency (a VPN, a browser or working hours elsewhere, camera off) it reaches it. It counts in the \
            location category, with the other checks of where the candidate is, so that one cause cannot escalate alone.
            """,
        verify: "Confirm the location another way: the address on an identity document checked live on video or in person, or equipment sent to that address and signed for by the candidate.",
        references: [PublicSources.s6, PublicSources.s30, PublicSources.s39, PublicSources.s40]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        InterviewObservationCheck.evaluate(
            context, recorded: { $0.locationCheck != nil }, flagged: { $0.locationCheck == .failed },
            notRecorded: "no location check recorded in an interview",
            field: "location_check", observed: "failed", expected: "passed"
        ) { failed, checked in
            "In \(failed) of \(checked) interviews with a location check, the interviewer recorded that the answers about the claimed location did not hold up."
        }
    }

    public var examples: [IndicatorExample] {
        [
            IndicatorExample("location check failed", fires: true, record: """
                {"events": [{"type": "interview", "at": "2026-10-08T16:00:00Z", "observations": {"camera_on": true, "location_check": "failed"}}]}
                """),
            IndicatorExample("one of two checks failed", fires: true, record: """
                {"events": [{"type": "interview", "at": "2026-10-08T16:00:00Z", "observations": {"location_check": "passed"}},
                            {"type": "interview", "at": "2026-10-15T16:00:00Z", "observations": {"location_check": "failed"}}]}
                """),
            IndicatorExample("location check passed", fires: false, record: """
                {"events": [{"type": "interview", "at": "2026-10-08T16:00:00Z", "observations": {"location_check": "passed"}}]}
                """),
            IndicatorExample("not asked", fires: false, record: """
                {"events": [{"type": "interview", "at": "2026-10-08T16:00:00Z", "observations": {"camera_on": true, "location_check": "not_asked"}}]}
                """),
        ]
    }
}
