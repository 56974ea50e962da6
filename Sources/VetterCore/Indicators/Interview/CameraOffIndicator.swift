import Foundation

/// Interviews held with the camera off and no stated reason.
public struct CameraOffIndicator: Indicator {
    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "INT-CAMERA-OFF",
        title: "Interview held without camera",
        category: .interview,
        defaultPoints: 15,
        strength: .moderate,
        inputs: ["events[].observations.camera_on"],
        rationale: """
            "Unwillingness or inability to appear on camera" is in the FBI's list (S2); "my webcam isn't working" \
            recurs (S34, S46). Disability, religion and bandwidth are legitimate reasons: when the record notes an \
            accommodation it does not fire, and the verification step is an alternative, not a refusal. The catalog \
            rates it moderate (E1): it weighs 15, more than most weak checks (10) and less than the moderate ones that \
            carry no disability or bandwidth caveat (20), so alone it never reaches review, and with one independent \
            inconsistency (working hours in the night, a VPN, a name that differs) it does.
            """,
        verify: "Offer another way to verify identity: a short live video ID check, or an in-person or notarised ID check.",
        references: [PublicSources.s2, PublicSources.s34, PublicSources.s46]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        InterviewObservationCheck.evaluate(
            context, recorded: { $0.cameraOn != nil }, flagged: { $0.cameraOn == false && $0.cameraAccommodation != true },
            notRecorded: "no interview camera observations",
            field: "camera_on", observed: "false", expected: "true, or an accommodation noted"
        ) { off, observed in
            "\(off) of \(observed) interviews were held with the camera off and no reason recorded."
        }
    }

    public var examples: [IndicatorExample] {
        [
            IndicatorExample("camera off", fires: true, record: """
                {"events": [{"type": "interview", "at": "2026-10-08T16:00:00Z", "observations": {"camera_on": false}}]}
                """),
            IndicatorExample("camera off with an accommodation", fires: false, record: """
                {"events": [{"type": "interview", "at": "2026-10-08T16:00:00Z", "observations": {"camera_on": false, "camera_accommodation": true}}]}
                """),
            IndicatorExample("camera on", fires: false, record: """
                {"events": [{"type": "interview", "at": "2026-10-08T16:00:00Z", "observations": {"camera_on": true}}]}
                """),
        ]
    }
}
