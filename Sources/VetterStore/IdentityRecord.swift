import Foundation
import VetterCore

/// One identifier of an application, normalised and keyed-hashed. The raw value never leaves
/// ``IdentityRecord/make(application:resume:key:)``.
public struct HashedIdentifier: Sendable, Hashable {
    /// `email`, `phone`, `address`, `bank-account`, `payment-handle`, `ip`, `ip24`, `device`,
    /// `linkedin`, `github`, `resume-hash`, `template`, `photo-hash`.
    public var kind: String
    /// The field of the record it came from (`candidate.emails[0]`, `onboarding.shippingAddress`).
    public var field: String
    public var hash: Data
}

/// Keyed hashes of one normalised name token: the whole token (nicknames folded to the full
/// name, transliteration variants collapsed), its first three letters and its initial.
public struct NameTokenHash: Sendable, Hashable, Codable {
    public var full: Data
    public var prefix: Data?
    public var initial: Data
    /// The token was a bare initial ("J.").
    public var isInitial: Bool
}

/// What the store keeps about one application: its id and date, keyed hashes, and the résumé's
/// keyed shingle hashes (turned into a MinHash signature by the store; never text).
public struct IdentityRecord: Sendable {
    public var applicationID: String
    public var receivedAt: Date?
    public var nameTokens: [NameTokenHash]
    public var identifiers: [HashedIdentifier]
    /// Keyed 64-bit hashes of the résumé's word shingles, with each shingle's first word index.
    public var shingles: [UInt64: Int]
    /// The résumé's words, kept in memory only, to quote shared passages of the current run.
    public var words: [Substring]
    /// The application has onboarding data (it was hired).
    public var hasOnboarding: Bool
    /// Each MinHash function's least shingles, so the store can form the signature cheaply.
    public var ranking: MinHashRanking?

    /// Kinds with the weight the findings give them (a bank account says more than an IP).
    public static let kindWeights: [String: Double] = [
        "bank-account": 1, "payment-handle": 1, "phone": 1, "email": 1, "resume-hash": 1, "photo-hash": 0.8,
        "linkedin": 0.9, "github": 0.9, "address": 0.7, "device": 0.3, "ip": 0.3, "template": 0.2, "ip24": 0.15,
    ]

    /// Kinds that link applications into a cluster (shared networks and templates are too common).
    /// An `ip` links only between onboarding or work events of both applications (see ``joinsCluster(kind:field:otherField:)``).
    public static let clusterKinds: Set<String> = ["bank-account", "payment-handle", "phone", "email", "resume-hash",
                                                    "photo-hash", "linkedin", "github", "address", "ip"]

    /// Whether one shared identifier joins two applications into a cluster. An IP shared while
    /// *applying* is weak evidence of anything (recruiting agencies submit many candidates from
    /// one office, campuses and mobile carriers put many people behind one address: catalog C3's
    /// false positives), so it never links a cluster; an IP shared by two hires' onboarding or
    /// work connections is the laptop-farm signal (catalog H4) and does.
    public static func joinsCluster(kind: String, field: String, otherField: String?) -> Bool {
        guard clusterKinds.contains(kind) else { return false }
        if kind == "ip" { return ReuseFields.isWorkEventIP(field) && ReuseFields.isWorkEventIP(otherField) }
        return true
    }

    /// The SQL condition (on columns `kind`, `mine` and `theirs`) equivalent to
    /// ``joinsCluster(kind:field:otherField:)``, for the stores' neighbour queries.
    public static func clusterCondition(kind: String, mine: String, theirs: String) -> String {
        let kinds = clusterKinds.sorted().map { "'\($0)'" }.joined(separator: ",")
        func work(_ column: String) -> String {
            "(" + ReuseFields.workEventTypes.map { "\(column) LIKE 'events[%](\($0)%).ip'" }.joined(separator: " OR ") + ")"
        }
        return "(\(kind) IN (\(kinds)) AND (\(kind) <> 'ip' OR (\(work(mine)) AND \(work(theirs)))))"
    }

    /// Word shingle length for near-duplicate résumés.
    public static let shingleWords = 4

    /// `sharedExitIPs`: event IPs the IP intelligence classes as a VPN, hosting, proxy, Tor,
    /// mobile-carrier or corporate exit (``NetworkClass/sharedExits``). They are not recorded:
    /// such an address is shared by the network's users, so it links nobody; the network
    /// indicators report the exit itself.
    public static func make(application: Application, resume: ResumeDocument?, key: IdentityKey,
                            sharedExitIPs: Set<String> = []) -> IdentityRecord {
        var ids: [HashedIdentifier] = []
        func add(_ kind: String, _ field: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            let item = HashedIdentifier(kind: kind, field: field, hash: key.hash(kind, value))
            if !ids.contains(item) { ids.append(item) }
        }
        let candidate = application.candidate
        for (i, email) in candidate.emails.enumerated() { add("email", "candidate.emails[\(i)]", Normalise.email(email)) }
        for (i, phone) in candidate.phones.enumerated() {
            for value in Normalise.phone(phone) { add("phone", "candidate.phones[\(i)]", value) }
        }
        if let address = candidate.address { add("address", "candidate.address", Normalise.address(address)) }
        if let onboarding = application.onboarding {
            if let shipping = onboarding.shippingAddress { add("address", "onboarding.shippingAddress", Normalise.address(shipping)) }
            if let payment = onboarding.payment, let fingerprint = payment.accountFingerprint {
                let method = (payment.method ?? "bank").lowercased()
                let kind = ["bank", "bank-transfer", "ach", "wire", "iban", "sepa", "direct-deposit"].contains(method) ? "bank-account" : "payment-handle"
                add(kind, "onboarding.payment.accountFingerprint", Normalise.compact(fingerprint))
            }
        }
        for (i, event) in application.events.enumerated() {
            let field = "events[\(i)](\(event.type))"
            if let ip = event.ip?.trimmingCharacters(in: .whitespaces).lowercased(), IPAddress.isValid(ip),
               !sharedExitIPs.contains(ip) {
                add("ip", field + ".ip", ip)
                add("ip24", field + ".ip", Normalise.ipPrefix(ip))
            }
            if let agent = event.userAgent {
                let device = [Normalise.whitespace(agent.lowercased()), event.acceptLanguage?.lowercased() ?? "", event.browserTimezone ?? ""]
                    .joined(separator: "|")
                add("device", field + ".userAgent", device)
            }
        }
        var links: [(String, String)] = candidate.links.enumerated().map { ("candidate.links[\($0.offset)]", $0.element) }
        for (i, profile) in candidate.profiles.enumerated() {
            let kind = profile.kind.lowercased()
            if let handle = profile.handle, kind == "linkedin" || kind == "github" {
                add(kind, "candidate.profiles[\(i)]", handle.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "@/ ")))
            }
            if let url = profile.url { links.append(("candidate.profiles[\(i)].url", url)) }
        }
        if let resume {
            for (i, email) in resume.fields.emails.enumerated() { add("email", "resume.emails[\(i)]", Normalise.email(email.value)) }
            for (i, phone) in resume.fields.phones.enumerated() {
                for value in Normalise.phone(phone.value) { add("phone", "resume.phones[\(i)]", value) }
            }
            links += resume.fields.links.enumerated().map { ("resume.links[\($0.offset)]", $0.element.value) }
            add("resume-hash", "resume.file", resume.sha256?.lowercased())
            add("template", "resume.metadata.templateIdentity", resume.metadata.templateIdentity.map(Normalise.compact))
            for (i, image) in resume.metadata.imageHashes.enumerated() { add("photo-hash", "resume.metadata.imageHashes[\(i)]", image.lowercased()) }
        }
        for (field, link) in links {
            if let (kind, handle) = Normalise.profileHandle(link) { add(kind, field, handle) }
        }
        let name = candidate.name ?? resume?.fields.name?.value
        let words = resume.map { Shingles.words(contentText($0, application: application)) } ?? []
        let shingles = Shingles.hashes(words, key: key)
        return IdentityRecord(
            applicationID: application.id,
            receivedAt: application.receivedAt,
            nameTokens: name.map { NameHashing.tokens($0, key: key) } ?? [],
            identifiers: ids,
            shingles: shingles,
            words: words,
            hasOnboarding: application.onboarding != nil,
            ranking: shingles.isEmpty ? nil : MinHashRanking(Array(shingles.keys))
        )
    }
}

extension IdentityRecord {
    /// The résumé text without the lines that carry the candidate's own name, email address or
    /// phone number (the contact header). An operator recycling one résumé across personas
    /// changes exactly these (S1, S23: copied résumé text under other names), and on a short
    /// résumé they are a large share of the shingles, so near-duplicates are judged on the
    /// content. The identifiers themselves are compared separately, as keyed hashes.
    static func contentText(_ resume: ResumeDocument, application: Application) -> String {
        let names = [application.candidate.name, resume.fields.name?.value].compactMap { $0?.lowercased() }.filter { $0.count >= 3 }
        let emails = (application.candidate.emails + resume.fields.emails.map(\.value)).map { $0.lowercased() }.filter { $0.contains("@") }
        let phones = (application.candidate.phones + resume.fields.phones.map(\.value)).map { String(PhoneNumbers.comparable($0).suffix(7)) }
            .filter { $0.count == 7 }
        guard !(names.isEmpty && emails.isEmpty && phones.isEmpty) else { return resume.text }
        let needles = (names + emails).map { (text: $0, bytes: Array($0.utf8), ascii: $0.utf8.allSatisfy { $0 < 0x80 }) }
        let phoneBytes = phones.map { Array($0.utf8) }
        let lines = resume.text.newlineSeparatedLines().filter { line in
            if let lower = TextSearch.asciiLowercasedBytes(line) {
                // ASCII: lower-case and compare bytes (`lowercased()` of ASCII maps A-Z only).
                if needles.contains(where: { $0.ascii ? TextSearch.bytes(lower, contain: $0.bytes) : String(decoding: lower, as: UTF8.self).contains($0.text) }) {
                    return false
                }
                // For ASCII, `Character.isNumber` is exactly 0-9.
                if !phones.isEmpty {
                    let digits = line.utf8.filter { $0 >= 0x30 && $0 <= 0x39 }
                    if phoneBytes.contains(where: { TextSearch.bytes(digits, contain: $0) }) { return false }
                }
                return true
            }
            let lower = line.lowercased()
            if needles.contains(where: { lower.contains($0.text) }) { return false }
            if !phones.isEmpty {
                let digits = String(line.filter(\.isNumber))
                if phoneBytes.contains(where: { TextSearch.bytes(Array(digits.utf8), contain: $0) }) { return false }
            }
            return true
        }
        return lines.joined(separator: "\n")
    }
}

/// Normalisation of identifiers before hashing.
public enum Normalise {
    public static func email(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard EmailAddress.isPlausible(trimmed) else { return nil }
        return EmailAddress.canonical(trimmed)
    }

    /// E.164 digits when the number is international, and the national significant number: the
    /// digits after the calling code, without a trunk `0` (kept in some international forms, as
    /// Italy's, and dialled before national ones in most countries). A number written without
    /// its country code thus meets its international form, and numbers that differ anywhere in
    /// their national part (+1 206 … and +1 306 …) stay apart. A national number of eleven
    /// digits starting with 1 is also read without that 1 (the North American trunk prefix).
    public static func phone(_ text: String) -> [String] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = PhoneNumbers.comparable(trimmed)
        guard digits.count >= 7 else { return [] }
        var out: [String] = []
        var national = Substring(digits)
        if trimmed.hasPrefix("+") || trimmed.hasPrefix("(+") || trimmed.hasPrefix("00") {
            out.append("+" + digits)
            national = national.dropFirst(PhoneNumbers.callingCodeLength(digits))
        } else if digits.count == 11, digits.hasPrefix("1") {
            out.append("nsn:" + digits.dropFirst())
        }
        if national.hasPrefix("0") { national = national.dropFirst() }
        if national.count >= 6 { out.append("nsn:" + national) }
        return out
    }

    /// Normalised lines, postal code and country; nil without a street line.
    public static func address(_ address: PostalAddress) -> String? {
        let lines = address.lines.map(AddressComparison.normalise).filter { !$0.isEmpty }.joined(separator: " ")
        guard !lines.isEmpty else { return nil }
        let postal = (address.postalCode ?? "").uppercased().filter { $0.isLetter || $0.isNumber }
        let country = (address.country ?? "").uppercased()
        return "\(lines)|\(postal)|\(country)"
    }

    public static func compact(_ text: String) -> String {
        text.lowercased().filter { !$0.isWhitespace && $0 != "-" }
    }

    public static func whitespace(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// `a.b.c.0/24` for IPv4, the first four groups (`/64`) for IPv6.
    public static func ipPrefix(_ ip: String) -> String {
        if ip.contains(".") && !ip.contains(":") {
            return ip.split(separator: ".").prefix(3).joined(separator: ".") + ".0/24"
        }
        var groups = ip.components(separatedBy: ":")
        if let gap = groups.firstIndex(of: ""), ip.contains("::") {
            let present = groups.filter { !$0.isEmpty }.count
            groups.replaceSubrange(gap...gap, with: Array(repeating: "0", count: max(0, 8 - present)))
        }
        return groups.filter { !$0.isEmpty }.prefix(4).joined(separator: ":") + "::/64"
    }

    /// A LinkedIn (`/in/NAME`) or GitHub (`/NAME`) handle from a link.
    public static func profileHandle(_ link: String) -> (String, String)? {
        var text = link.trimmingCharacters(in: .whitespaces).lowercased()
        for scheme in ["https://", "http://"] where text.hasPrefix(scheme) { text.removeFirst(scheme.count) }
        if text.hasPrefix("www.") { text.removeFirst(4) }
        let parts = text.split(separator: "/").map(String.init)
        guard let host = parts.first, parts.count >= 2 else { return nil }
        if host.hasSuffix("linkedin.com"), parts.count >= 3, parts[1] == "in" {
            return ("linkedin", parts[2].split(separator: "?").first.map(String.init) ?? parts[2])
        }
        if host == "github.com" {
            let handle = parts[1].split(separator: "?").first.map(String.init) ?? parts[1]
            return handle.isEmpty ? nil : ("github", handle)
        }
        return nil
    }
}

/// Names are stored as keyed hashes of their normalised tokens only.
///
/// Two applications are *different identities* when both have a name and the names cannot be
/// the same person's: some token of the shorter name has no compatible token in the longer one.
/// Compatibility on hashes is deliberately looser than ``NameMatching/isConsistent(_:_:)``
/// (equal folded token, equal first three letters, or an initial against the same initial), so
/// the store errs towards "same identity" and never calls a spelling variant a different person.
public enum NameHashing {
    static let nicknames: [String: String] = [
        "bill": "william", "will": "william", "billy": "william", "liam": "william", "bob": "robert", "rob": "robert",
        "bobby": "robert", "rick": "richard", "dick": "richard", "jim": "james", "jimmy": "james", "jack": "john",
        "johnny": "john", "jon": "john", "joe": "joseph", "mike": "michael", "liz": "elizabeth", "beth": "elizabeth",
        "betty": "elizabeth", "maggie": "margaret", "peggy": "margaret", "kate": "katherine", "katie": "katherine",
        "chris": "christopher", "dan": "daniel", "danny": "daniel", "dave": "david", "ed": "edward", "ted": "edward",
        "tom": "thomas", "tony": "anthony", "andy": "andrew", "alex": "alexander", "sasha": "alexander", "ben": "benjamin",
        "charlie": "charles", "pat": "patricia", "jen": "jennifer", "sam": "samuel", "steve": "stephen", "tim": "timothy",
        "matt": "matthew", "nick": "nicholas", "greg": "gregory", "sue": "susan", "ken": "kenneth", "ron": "ronald",
        "don": "donald", "larry": "lawrence", "fred": "frederick", "hank": "henry", "harry": "henry", "dima": "dmitry",
        "misha": "mikhail", "katya": "ekaterina", "muhammad": "mohammed", "mohamed": "mohammed", "mohammad": "mohammed",
    ]

    /// Spelling variants folded together, in this order, each replacing every occurrence from the left.
    static let foldings: [(String, String)] = [("ph", "f"), ("ks", "x"), ("kh", "h"), ("zh", "j"), ("sch", "sh"), ("w", "v"), ("y", "i"),
                                               ("j", "i"), ("ou", "u"), ("ck", "k"), ("c", "k")]
    private static let foldingBytes: [([UInt8], [UInt8])] = foldings.map { (Array($0.0.utf8), Array($0.1.utf8)) }

    static func fold(_ token: String) -> String {
        let t = nicknames[token] ?? token
        // An ASCII token (almost every one: `NameMatching.tokens` transliterates) is folded on its
        // bytes, where a character is a byte; Foundation's string search was most of the cost.
        guard t.utf8.allSatisfy({ $0 < 0x80 }) else { return foldCharacters(t) }
        var bytes = Array(t.utf8)
        for (from, to) in foldingBytes {
            guard bytes.count >= from.count else { continue }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var i = 0
            while i < bytes.count {
                if bytes[i] == from[0], i + from.count <= bytes.count, bytes[i..<(i + from.count)].elementsEqual(from) {
                    out.append(contentsOf: to)
                    i += from.count
                } else {
                    out.append(bytes[i])
                    i += 1
                }
            }
            bytes = out
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for byte in bytes where out.last != byte { out.append(byte) }
        return String(decoding: out, as: UTF8.self)
    }

    /// ``fold(_:)`` on characters, for a token that is not ASCII.
    static func foldCharacters(_ token: String) -> String {
        var t = token
        for (from, to) in foldings {
            if t.contains(from) { t = t.replacing(from, with: to) }
        }
        var out = ""
        for ch in t where out.last != ch { out.append(ch) }
        return out
    }

    public static func tokens(_ name: String, key: IdentityKey) -> [NameTokenHash] {
        NameMatching.tokens(name).map { token in
            let folded = fold(token)
            return NameTokenHash(
                full: key.hash("name", folded),
                prefix: token.count >= 3 ? key.hash("name-prefix", String(folded.prefix(3))) : nil,
                initial: key.hash("name-initial", String(token.prefix(1))),
                isInitial: token.count == 1
            )
        }
    }

    /// Whether two hashed names can be the same person's. Unknown names are never "different".
    public static func isConsistent(_ a: [NameTokenHash], _ b: [NameTokenHash]) -> Bool {
        guard !a.isEmpty, !b.isEmpty else { return true }
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        return assign(short[...], available: long)
    }

    private static func assign(_ short: ArraySlice<NameTokenHash>, available: [NameTokenHash]) -> Bool {
        guard let first = short.first else { return true }
        for (index, other) in available.enumerated() where compatible(first, other) {
            var rest = available
            rest.remove(at: index)
            if assign(short.dropFirst(), available: rest) { return true }
        }
        return false
    }

    static func compatible(_ x: NameTokenHash, _ y: NameTokenHash) -> Bool {
        if x.full == y.full { return true }
        if x.isInitial || y.isInitial { return x.initial == y.initial }
        if let px = x.prefix, let py = y.prefix, px == py { return true }
        return false
    }
}
