import Foundation

/// A problem found in an input record, with the JSON path of the field.
public struct FieldProblem: Sendable, Equatable, CustomStringConvertible {
    /// JSON path such as `events[2].at`.
    public var path: String
    /// What is wrong, without quoting free text from the record.
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path.isEmpty ? "(record)" : path): \(message)" }
}

/// Decodes `vetter.application/v1` records, reporting every problem with its JSON path
/// rather than stopping at the first.
///
/// ```swift
/// let result = ApplicationDecoder().decode(json)
/// if result.problems.isEmpty { screen(result.application!) }
/// ```
public struct ApplicationDecoder: Sendable {
    public struct Result: Sendable {
        /// The record, present when there were no problems.
        public var application: Application?
        /// Fatal problems: wrong types, bad dates, unknown zones or countries.
        public var problems: [FieldProblem]
        /// Keys this version does not know; kept as warnings because HR systems add fields.
        public var unknownKeys: [String]
    }

    /// The earliest and latest instants accepted in a record.
    public var dateRange: ClosedRange<Date>

    public init(dateRange: ClosedRange<Date> = ApplicationDecoder.defaultDateRange) {
        self.dateRange = dateRange
    }

    public static let defaultDateRange: ClosedRange<Date> = {
        let start = ISO8601DateFormatter().date(from: "1950-01-01T00:00:00Z") ?? .distantPast
        let end = ISO8601DateFormatter().date(from: "2100-01-01T00:00:00Z") ?? .distantFuture
        return start...end
    }()

    public func decode(_ data: Data) -> Result {
        do {
            return decode(try JSONValue.parse(data))
        } catch {
            return Result(application: nil, problems: [FieldProblem(path: "", message: error.message)], unknownKeys: [])
        }
    }

    public func decode(_ value: JSONValue) -> Result {
        var reader = Reader(dateRange: dateRange)
        let application = reader.application(value)
        return Result(
            application: reader.problems.isEmpty ? application : nil,
            problems: reader.problems,
            unknownKeys: reader.unknownKeys
        )
    }
}

/// Walks the JSON tree, collecting problems.
private struct Reader {
    let dateRange: ClosedRange<Date>
    var problems: [FieldProblem] = []
    var unknownKeys: [String] = []

    mutating func fail(_ path: String, _ message: String) {
        problems.append(FieldProblem(path: path, message: message))
    }

    mutating func object(_ value: JSONValue?, _ path: String, known: Set<String>) -> [String: JSONValue]? {
        guard let value, value != .null else { return nil }
        guard case .object(let object) = value else {
            fail(path, "expected an object, found \(value.kindDescription)")
            return nil
        }
        for key in object.keys.sorted() where !known.contains(key) {
            unknownKeys.append(path.isEmpty ? key : "\(path).\(key)")
        }
        return object
    }

    mutating func string(_ value: JSONValue?, _ path: String) -> String? {
        guard let value, value != .null else { return nil }
        guard case .string(let string) = value else {
            fail(path, "expected a string, found \(value.kindDescription)")
            return nil
        }
        let trimmed = string.trimmingWhitespaceAndNewlines()
        return trimmed.isEmpty ? nil : trimmed
    }

    mutating func bool(_ value: JSONValue?, _ path: String) -> Bool? {
        guard let value, value != .null else { return nil }
        guard case .bool(let bool) = value else {
            fail(path, "expected true or false, found \(value.kindDescription)")
            return nil
        }
        return bool
    }

    mutating func int(_ value: JSONValue?, _ path: String, range: ClosedRange<Int>) -> Int? {
        guard let value, value != .null else { return nil }
        guard case .number(let number) = value, number.rounded() == number else {
            fail(path, "expected a whole number, found \(value.kindDescription)")
            return nil
        }
        guard number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
            fail(path, "\(Int(number)) is out of range (\(range.lowerBound) to \(range.upperBound))")
            return nil
        }
        return Int(number)
    }

    mutating func strings(_ value: JSONValue?, _ path: String) -> [String] {
        guard let value, value != .null else { return [] }
        if case .string = value {
            return string(value, path).map { [$0] } ?? []
        }
        guard case .array(let items) = value else {
            fail(path, "expected an array of strings, found \(value.kindDescription)")
            return []
        }
        return items.enumerated().compactMap { string($1, "\(path)[\($0)]") }
    }

    mutating func date(_ value: JSONValue?, _ path: String, dateOnlyAllowed: Bool = false) -> Date? {
        guard let text = string(value, path) else { return nil }
        guard let date = DateParsing.iso8601(text, dateOnlyAllowed: dateOnlyAllowed) else {
            fail(path, dateOnlyAllowed
                ? "expected an ISO 8601 date or date-time (2026-10-01 or 2026-10-01T14:03:00Z)"
                : "expected an ISO 8601 date-time with a UTC offset (2026-10-01T14:03:00Z)")
            return nil
        }
        guard dateRange.contains(date) else {
            fail(path, "date out of range (accepted: 1950 to 2099)")
            return nil
        }
        return date
    }

    mutating func timeZone(_ value: JSONValue?, _ path: String) -> String? {
        guard let text = string(value, path) else { return nil }
        guard TimeZone(identifier: text) != nil, text.contains("/") || text == "UTC" || text.hasPrefix("Etc/") else {
            fail(path, "unknown IANA time zone (expected a name such as America/Chicago)")
            return nil
        }
        return text
    }

    mutating func country(_ value: JSONValue?, _ path: String) -> String? {
        guard let text = string(value, path) else { return nil }
        let upper = text.uppercased()
        guard Countries.isKnown(upper) else {
            fail(path, "unknown country code (expected ISO 3166-1 alpha-2 such as US)")
            return nil
        }
        return upper
    }

    mutating func application(_ value: JSONValue) -> Application {
        guard let root = object(value, "", known: [
            "schema", "id", "received_at", "job", "candidate", "resume", "events", "onboarding", "references",
        ]) else {
            if value == .null { fail("", "expected an application object, found null") }
            return Application(id: "")
        }
        if let schema = string(root["schema"], "schema"), schema != Application.schemaID {
            fail("schema", "unsupported schema (this version reads \(Application.schemaID))")
        }
        let id = string(root["id"], "id")
        if id == nil, root["id"] == nil || root["id"] == .null {
            fail("id", "missing: every record needs an id")
        }
        var application = Application(id: id ?? "")
        application.receivedAt = date(root["received_at"], "received_at")
        application.job = job(root["job"])
        application.candidate = candidate(root["candidate"])
        application.resume = resume(root["resume"])
        application.events = events(root["events"])
        application.onboarding = onboarding(root["onboarding"])
        application.references = references(root["references"])
        return application
    }

    mutating func job(_ value: JSONValue?) -> Job? {
        guard let o = object(value, "job", known: ["id", "title", "remote", "country", "requires_residence"]) else { return nil }
        return Job(
            id: string(o["id"], "job.id"),
            title: string(o["title"], "job.title"),
            remote: bool(o["remote"], "job.remote"),
            country: country(o["country"], "job.country"),
            requiresResidence: bool(o["requires_residence"], "job.requires_residence")
        )
    }

    mutating func candidate(_ value: JSONValue?) -> Candidate {
        guard let o = object(value, "candidate", known: [
            "name", "emails", "phones", "address", "claimed_timezone", "work_authorization", "links", "profiles",
        ]) else { return Candidate() }
        var candidate = Candidate()
        candidate.name = string(o["name"], "candidate.name")
        candidate.emails = strings(o["emails"], "candidate.emails")
        for (index, email) in candidate.emails.enumerated() where !EmailAddress.isPlausible(email) {
            fail("candidate.emails[\(index)]", "not an email address")
        }
        candidate.phones = strings(o["phones"], "candidate.phones")
        candidate.address = address(o["address"], "candidate.address")
        candidate.claimedTimezone = timeZone(o["claimed_timezone"], "candidate.claimed_timezone")
        candidate.workAuthorization = string(o["work_authorization"], "candidate.work_authorization")
        candidate.links = strings(o["links"], "candidate.links")
        candidate.profiles = profiles(o["profiles"])
        return candidate
    }

    mutating func address(_ value: JSONValue?, _ path: String) -> PostalAddress? {
        guard let o = object(value, path, known: ["lines", "city", "region", "postal_code", "country"]) else { return nil }
        return PostalAddress(
            lines: strings(o["lines"], "\(path).lines"),
            city: string(o["city"], "\(path).city"),
            region: string(o["region"], "\(path).region"),
            postalCode: string(o["postal_code"], "\(path).postal_code"),
            country: country(o["country"], "\(path).country")
        )
    }

    mutating func profiles(_ value: JSONValue?) -> [Profile] {
        guard let items = array(value, "candidate.profiles") else { return [] }
        return items.enumerated().compactMap { index, item in
            let path = "candidate.profiles[\(index)]"
            guard let o = object(item, path, known: ["kind", "handle", "url", "created_at", "followers", "public_repos"]) else { return nil }
            guard let kind = string(o["kind"], "\(path).kind") else {
                fail("\(path).kind", "missing: a profile needs a kind (github, linkedin, …)")
                return nil
            }
            return Profile(
                kind: kind.lowercased(),
                handle: string(o["handle"], "\(path).handle"),
                url: string(o["url"], "\(path).url"),
                createdAt: date(o["created_at"], "\(path).created_at", dateOnlyAllowed: true),
                followers: int(o["followers"], "\(path).followers", range: 0...100_000_000),
                publicRepos: int(o["public_repos"], "\(path).public_repos", range: 0...10_000_000)
            )
        }
    }

    mutating func array(_ value: JSONValue?, _ path: String) -> [JSONValue]? {
        guard let value, value != .null else { return nil }
        guard case .array(let items) = value else {
            fail(path, "expected an array, found \(value.kindDescription)")
            return nil
        }
        return items
    }

    mutating func resume(_ value: JSONValue?) -> ResumeSource? {
        guard let o = object(value, "resume", known: ["path", "text", "json_resume"]) else { return nil }
        var sources: [ResumeSource] = []
        if let path = string(o["path"], "resume.path") { sources.append(.path(path)) }
        if let text = string(o["text"], "resume.text") { sources.append(.text(text)) }
        if let json = o["json_resume"], json != .null {
            if case .object = json { sources.append(.jsonResume(json)) } else {
                fail("resume.json_resume", "expected a JSON Resume object, found \(json.kindDescription)")
            }
        }
        if sources.count > 1 {
            fail("resume", "give exactly one of path, text or json_resume")
        }
        return sources.first
    }

    mutating func events(_ value: JSONValue?) -> [Event] {
        guard let items = array(value, "events") else { return [] }
        return items.enumerated().compactMap { index, item in
            let path = "events[\(index)]"
            guard let o = object(item, path, known: [
                "type", "at", "ip", "user_agent", "browser_timezone", "utc_offset_minutes", "accept_language",
                "observations", "candidate_initiated",
            ]) else { return nil }
            let type = string(o["type"], "\(path).type")
            if type == nil { fail("\(path).type", "missing: every event needs a type") }
            let at = date(o["at"], "\(path).at")
            if at == nil, o["at"] == nil || o["at"] == .null { fail("\(path).at", "missing: every event needs a time") }
            let ip = string(o["ip"], "\(path).ip")
            if let ip, !IPAddress.isValid(ip) { fail("\(path).ip", "not an IPv4 or IPv6 address") }
            var observations: InterviewObservations?
            if let obs = object(o["observations"], "\(path).observations", known: ["camera_on", "display_name", "camera_accommodation", "location_check"]) {
                var locationCheck: LocationCheck?
                if let value = string(obs["location_check"], "\(path).observations.location_check"), value != "not_asked" {
                    locationCheck = LocationCheck(rawValue: value)
                    if locationCheck == nil { fail("\(path).observations.location_check", "must be passed, failed or not_asked") }
                }
                observations = InterviewObservations(
                    cameraOn: bool(obs["camera_on"], "\(path).observations.camera_on"),
                    displayName: string(obs["display_name"], "\(path).observations.display_name"),
                    cameraAccommodation: bool(obs["camera_accommodation"], "\(path).observations.camera_accommodation"),
                    locationCheck: locationCheck
                )
            }
            let event = Event(
                type: type ?? "",
                at: at ?? .distantPast,
                ip: ip,
                userAgent: string(o["user_agent"], "\(path).user_agent"),
                browserTimezone: timeZone(o["browser_timezone"], "\(path).browser_timezone"),
                utcOffsetMinutes: int(o["utc_offset_minutes"], "\(path).utc_offset_minutes", range: -720...840),
                acceptLanguage: string(o["accept_language"], "\(path).accept_language"),
                observations: observations,
                candidateInitiated: bool(o["candidate_initiated"], "\(path).candidate_initiated")
            )
            return type == nil || at == nil ? nil : event
        }
    }

    mutating func onboarding(_ value: JSONValue?) -> Onboarding? {
        guard let o = object(value, "onboarding", known: ["shipping_address", "shipping_address_changed_after_offer", "payment"]) else {
            return nil
        }
        var payment: Payment?
        if let p = object(o["payment"], "onboarding.payment", known: ["method", "account_holder", "bank_country", "account_fingerprint"]) {
            payment = Payment(
                method: string(p["method"], "onboarding.payment.method"),
                accountHolder: string(p["account_holder"], "onboarding.payment.account_holder"),
                bankCountry: country(p["bank_country"], "onboarding.payment.bank_country"),
                accountFingerprint: string(p["account_fingerprint"], "onboarding.payment.account_fingerprint")
            )
        }
        return Onboarding(
            shippingAddress: address(o["shipping_address"], "onboarding.shipping_address"),
            shippingAddressChangedAfterOffer: bool(o["shipping_address_changed_after_offer"], "onboarding.shipping_address_changed_after_offer"),
            payment: payment
        )
    }

    mutating func references(_ value: JSONValue?) -> [ReferenceContact] {
        guard let items = array(value, "references") else { return [] }
        return items.enumerated().compactMap { index, item in
            let path = "references[\(index)]"
            guard let o = object(item, path, known: ["name", "email", "phone", "company"]) else { return nil }
            let email = string(o["email"], "\(path).email")
            if let email, !EmailAddress.isPlausible(email) { fail("\(path).email", "not an email address") }
            return ReferenceContact(
                name: string(o["name"], "\(path).name"),
                email: email,
                phone: string(o["phone"], "\(path).phone"),
                company: string(o["company"], "\(path).company")
            )
        }
    }
}
