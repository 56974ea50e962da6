import Foundation

/// One application as an HR system holds it: the canonical `vetter.application/v1` record.
///
/// Every field except ``id`` is optional. A missing field means "not known", never
/// "suspicious": an indicator whose inputs are missing does not fire and says so in the
/// report's coverage section. Field names and meanings are documented in
/// `Config/schema/application.v1.schema.json`.
public struct Application: Sendable, Equatable {
    public static let schemaID = "vetter.application/v1"

    public var id: String
    public var receivedAt: Date?
    public var job: Job?
    public var candidate: Candidate
    public var resume: ResumeSource?
    public var events: [Event]
    public var onboarding: Onboarding?
    public var references: [ReferenceContact]

    public init(
        id: String,
        receivedAt: Date? = nil,
        job: Job? = nil,
        candidate: Candidate = Candidate(),
        resume: ResumeSource? = nil,
        events: [Event] = [],
        onboarding: Onboarding? = nil,
        references: [ReferenceContact] = []
    ) {
        self.id = id
        self.receivedAt = receivedAt
        self.job = job
        self.candidate = candidate
        self.resume = resume
        self.events = events
        self.onboarding = onboarding
        self.references = references
    }
}

public struct Job: Sendable, Equatable {
    public var id: String?
    public var title: String?
    public var remote: Bool?
    public var country: String?
    /// The job requires the worker to reside in ``country``.
    public var requiresResidence: Bool?

    public init(id: String? = nil, title: String? = nil, remote: Bool? = nil, country: String? = nil, requiresResidence: Bool? = nil) {
        self.id = id
        self.title = title
        self.remote = remote
        self.country = country
        self.requiresResidence = requiresResidence
    }
}

public struct Candidate: Sendable, Equatable {
    public var name: String?
    public var emails: [String] = []
    public var phones: [String] = []
    public var address: PostalAddress?
    public var claimedTimezone: String?
    public var workAuthorization: String?
    public var links: [String] = []
    public var profiles: [Profile] = []

    public init(
        name: String? = nil,
        emails: [String] = [],
        phones: [String] = [],
        address: PostalAddress? = nil,
        claimedTimezone: String? = nil,
        workAuthorization: String? = nil,
        links: [String] = [],
        profiles: [Profile] = []
    ) {
        self.name = name
        self.emails = emails
        self.phones = phones
        self.address = address
        self.claimedTimezone = claimedTimezone
        self.workAuthorization = workAuthorization
        self.links = links
        self.profiles = profiles
    }
}

public struct PostalAddress: Sendable, Equatable {
    public var lines: [String] = []
    public var city: String?
    public var region: String?
    public var postalCode: String?
    /// ISO 3166-1 alpha-2.
    public var country: String?

    public init(lines: [String] = [], city: String? = nil, region: String? = nil, postalCode: String? = nil, country: String? = nil) {
        self.lines = lines
        self.city = city
        self.region = region
        self.postalCode = postalCode
        self.country = country
    }

    /// A one-line rendering for evidence.
    public var singleLine: String {
        (lines + [city, region, postalCode, country].compactMap { $0 }).joined(separator: ", ")
    }
}

public struct Profile: Sendable, Equatable {
    public var kind: String
    public var handle: String?
    public var url: String?
    public var createdAt: Date?
    public var followers: Int?
    public var publicRepos: Int?

    public init(kind: String, handle: String? = nil, url: String? = nil, createdAt: Date? = nil, followers: Int? = nil, publicRepos: Int? = nil) {
        self.kind = kind
        self.handle = handle
        self.url = url
        self.createdAt = createdAt
        self.followers = followers
        self.publicRepos = publicRepos
    }
}

/// Where the résumé is: exactly one of a file, inline text or an inline JSON Resume object.
public enum ResumeSource: Sendable, Equatable {
    /// A file path, relative to the record's folder or absolute.
    case path(String)
    case text(String)
    case jsonResume(JSONValue)
}

public struct Event: Sendable, Equatable {
    public var type: String
    public var at: Date
    public var ip: String?
    public var userAgent: String?
    public var browserTimezone: String?
    /// The UTC offset at that moment, east of UTC positive.
    public var utcOffsetMinutes: Int?
    public var acceptLanguage: String?
    public var observations: InterviewObservations?
    /// Whether the candidate started this event. When absent, the event type decides
    /// (see ``Event/candidateInitiatedTypes``).
    public var candidateInitiated: Bool?

    public init(
        type: String,
        at: Date,
        ip: String? = nil,
        userAgent: String? = nil,
        browserTimezone: String? = nil,
        utcOffsetMinutes: Int? = nil,
        acceptLanguage: String? = nil,
        observations: InterviewObservations? = nil,
        candidateInitiated: Bool? = nil
    ) {
        self.type = type
        self.at = at
        self.ip = ip
        self.userAgent = userAgent
        self.browserTimezone = browserTimezone
        self.utcOffsetMinutes = utcOffsetMinutes
        self.acceptLanguage = acceptLanguage
        self.observations = observations
        self.candidateInitiated = candidateInitiated
    }

    /// Event types the candidate starts at a time of their choosing.
    public static let candidateInitiatedTypes: Set<String> = [
        "application_submitted", "assessment_started", "assessment_completed", "email_reply",
        "onboarding_form", "first_login", "portal_login", "document_uploaded", "message_sent",
    ]

    public var isCandidateInitiated: Bool {
        candidateInitiated ?? Event.candidateInitiatedTypes.contains(type)
    }
}

public struct InterviewObservations: Sendable, Equatable {
    public var cameraOn: Bool?
    public var displayName: String?
    /// The candidate gave a reason for keeping the camera off (an accommodation, bandwidth).
    public var cameraAccommodation: Bool?
    /// The interviewer's structured check of the claimed location (catalog A6), when it was done.
    public var locationCheck: LocationCheck?

    public init(cameraOn: Bool? = nil, displayName: String? = nil, cameraAccommodation: Bool? = nil, locationCheck: LocationCheck? = nil) {
        self.cameraOn = cameraOn
        self.displayName = displayName
        self.cameraAccommodation = cameraAccommodation
        self.locationCheck = locationCheck
    }
}

/// The outcome of an interviewer's questions about the candidate's claimed location (what is near
/// the address, the weather, the view from a window), asked of every remote candidate alike.
public enum LocationCheck: String, Sendable, Equatable, CaseIterable {
    /// The answers held up.
    case passed
    /// The answers did not hold up, as the interviewer recorded.
    case failed
}

public struct Onboarding: Sendable, Equatable {
    public var shippingAddress: PostalAddress?
    public var shippingAddressChangedAfterOffer: Bool?
    public var payment: Payment?

    public init(shippingAddress: PostalAddress? = nil, shippingAddressChangedAfterOffer: Bool? = nil, payment: Payment? = nil) {
        self.shippingAddress = shippingAddress
        self.shippingAddressChangedAfterOffer = shippingAddressChangedAfterOffer
        self.payment = payment
    }
}

public struct Payment: Sendable, Equatable {
    public var method: String?
    public var accountHolder: String?
    public var bankCountry: String?
    public var accountFingerprint: String?

    public init(method: String? = nil, accountHolder: String? = nil, bankCountry: String? = nil, accountFingerprint: String? = nil) {
        self.method = method
        self.accountHolder = accountHolder
        self.bankCountry = bankCountry
        self.accountFingerprint = accountFingerprint
    }
}

public struct ReferenceContact: Sendable, Equatable {
    public var name: String?
    public var email: String?
    public var phone: String?
    public var company: String?

    public init(name: String? = nil, email: String? = nil, phone: String? = nil, company: String? = nil) {
        self.name = name
        self.email = email
        self.phone = phone
        self.company = company
    }
}
