import Foundation
import VetterCore
import VetterStore

extension SQLiteIdentityStore {
    /// Parses a feed file and stores it under `name` (default: the file name without its
    /// extension) in one transaction: a malformed file or an unsupported indicator changes
    /// nothing in the store.
    @discardableResult
    public func importFeed(file url: URL, name: String? = nil, parser: FeedParser = FeedParser(), now: Date = Date()) throws -> FeedImportSummary {
        let feedName = name ?? url.deletingPathExtension().lastPathComponent
        var result = FeedParser.Result(format: "?")
        var parseError: (any Error)?
        let stored: Int
        do {
            stored = try importFeed(name: feedName, format: "pending", source: url.lastPathComponent, importedAt: now) { add in
                do {
                    result = try parser.parse(url, emit: add)
                } catch {
                    parseError = error
                    throw error
                }
            }
        } catch {
            // The transaction rolled back; report the parser's own error, not the store's wrapping.
            throw parseError ?? error
        }
        try setFeedFormat(name: feedName, format: result.format)
        return FeedImportSummary(name: feedName, format: result.format, stored: stored, skipped: result.skipped, notes: result.notes)
    }
}

/// Parses a feed file and stores it in any feed store: SQLite streams the entries into its
/// transaction; other stores get the parsed feed whole. Either way a malformed file or an
/// unsupported indicator changes nothing.
public enum FeedImport {
    public static func run(store: any ThreatFeedStore, file url: URL, name: String? = nil, parser: FeedParser = FeedParser(),
                           now: Date = Date()) async throws -> FeedImportSummary {
        if let sqlite = store as? SQLiteIdentityStore { return try sqlite.importFeed(file: url, name: name, parser: parser, now: now) }
        let feedName = name ?? url.deletingPathExtension().lastPathComponent
        var entries: [FeedEntry] = []
        let result = try parser.parse(url) { entries.append($0) }
        let stored = try await store.replaceFeed(name: feedName, format: result.format, source: url.lastPathComponent, importedAt: now, entries: entries)
        return FeedImportSummary(name: feedName, format: result.format, stored: stored, skipped: result.skipped, notes: result.notes)
    }
}

/// Matches every identifier of the record and the résumé against the feeds in the store
/// (→ ``Facts/intel``): emails and their domains, link domains and URLs, GitHub and LinkedIn
/// handles, event IPs (exact and ranges), phones, the résumé file's hash, and the names of
/// employers (résumé history), references' companies and the payee against the feeds'
/// organisation names (fuzzy, reporting what it matched). Organisation matching is for
/// companies only; people's names are never compared with a feed.
public struct IntelEnricher: Enricher {
    public static let enricherName = "threat-intel"
    public var name: String { Self.enricherName }
    public let store: any ThreatFeedStore

    public init(store: any ThreatFeedStore) { self.store = store }

    struct Probe {
        var field: String
        var kind: String
        var value: String
        var shown: String
    }

    static func probes(_ context: ScreeningContext) -> [Probe] {
        var out: [Probe] = []
        let application = context.application
        func domains(_ field: String, _ domain: String) {
            guard let d = IntelValues.domain(domain) else { return }
            // The domain and its parents (mail.example.com → example.com), never a bare TLD.
            let labels = d.split(separator: ".")
            for start in 0..<max(1, labels.count - 1) {
                let candidate = labels[start...].joined(separator: ".")
                out.append(Probe(field: field, kind: "domain", value: candidate, shown: d))
            }
        }
        func email(_ field: String, _ raw: String) {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            guard EmailAddress.isPlausible(trimmed) else { return }
            out.append(Probe(field: field, kind: "email", value: EmailAddress.canonical(trimmed), shown: trimmed))
            if let domain = EmailAddress.domain(trimmed) { domains(field + " (domain)", domain) }
        }
        func link(_ field: String, _ raw: String) {
            var text = raw.trimmingCharacters(in: .whitespaces)
            if !text.contains("://") { text = "https://" + text }
            if let (kind, handle) = IntelValues.profile(text) { out.append(Probe(field: field, kind: kind, value: handle, shown: raw)) }
            if let url = IntelValues.url(text) { out.append(Probe(field: field, kind: "url", value: url, shown: raw)) }
            if let host = URLComponents(string: text)?.host { domains(field + " (domain)", host) }
        }
        for (i, e) in application.candidate.emails.enumerated() { email("candidate.emails[\(i)]", e) }
        for (i, p) in application.candidate.phones.enumerated() {
            for v in IntelValues.phones(p) { out.append(Probe(field: "candidate.phones[\(i)]", kind: "phone", value: v, shown: p)) }
        }
        for (i, l) in application.candidate.links.enumerated() { link("candidate.links[\(i)]", l) }
        for (i, profile) in application.candidate.profiles.enumerated() {
            let kind = profile.kind.lowercased()
            if let handle = profile.handle, kind == "github" || kind == "linkedin" {
                out.append(Probe(field: "candidate.profiles[\(i)]", kind: kind, value: IntelValues.handle(handle), shown: handle))
            }
            if let url = profile.url { link("candidate.profiles[\(i)].url", url) }
        }
        for (i, event) in application.events.enumerated() {
            if let ip = event.ip?.trimmingCharacters(in: .whitespaces).lowercased(), IntelValues.addressBytes(ip) != nil {
                out.append(Probe(field: "events[\(i)](\(event.type)).ip", kind: "ip", value: ip, shown: ip))
                // The network's AS number, when an IP-intelligence enricher ran before this one.
                if let asn = (context.facts.network[ip] ?? context.facts.network[event.ip ?? ""])?.asn {
                    out.append(Probe(field: "events[\(i)](\(event.type)).ip", kind: "asn", value: String(asn), shown: "\(ip) (AS\(asn))"))
                }
            }
        }
        if let resume = context.resume {
            for (i, e) in resume.fields.emails.enumerated() { email("resume.emails[\(i)]", e.value) }
            for (i, p) in resume.fields.phones.enumerated() {
                for v in IntelValues.phones(p.value) { out.append(Probe(field: "resume.phones[\(i)]", kind: "phone", value: v, shown: p.value)) }
            }
            for (i, l) in resume.fields.links.enumerated() { link("resume.links[\(i)]", l.value) }
            if let hash = resume.sha256?.lowercased() { out.append(Probe(field: "resume.file", kind: "sha256", value: hash, shown: hash)) }
        }
        return out
    }

    /// Company names to compare with the feeds' organisations: employers in the résumé,
    /// references' companies, and the payee (account holder) of onboarding payments.
    static func organisations(_ context: ScreeningContext) -> [(field: String, name: String)] {
        var out: [(String, String)] = []
        for (i, job) in (context.resume?.fields.employment ?? []).enumerated() {
            if let employer = job.employer { out.append(("resume.employment[\(i)].employer", employer)) }
        }
        for (i, reference) in context.application.references.enumerated() {
            if let company = reference.company { out.append(("references[\(i)].company", company)) }
        }
        if let holder = context.application.onboarding?.payment?.accountHolder { out.append(("onboarding.payment.accountHolder", holder)) }
        return out
    }

    public func enrich(_ context: inout ScreeningContext) async {
        do {
            // Without any feed there is nothing to look up (the common case, and a dozen reads fewer
            // per screening).
            let summary = try await store.feedSummary(asOf: context.asOf)
            let matches = summary.feeds == 0 ? [] : try await match(context)
            context.facts.intel.append(contentsOf: matches)
            context.facts.enrichersRun.insert(name)
            context.facts.notes.append("threat-intel feeds: \(summary.feeds) feed(s), \(summary.currentEntries) current indicators; \(matches.count) match(es)")
        } catch {
            context.facts.notes.append("threat-intel feeds unavailable: \(error)")
        }
    }

    public func match(_ context: ScreeningContext) async throws -> [IntelMatch] {
        let probes = Self.probes(context)
        var out: [IntelMatch] = []
        var seen: Set<String> = []
        func add(_ probe: Probe, _ hit: FeedHit, matched: String? = nil, similarity: Double? = nil) {
            let key = "\(probe.field)|\(hit.feed)|\(hit.entry.objectID)|\(hit.entry.kind)"
            guard seen.insert(key).inserted else { return }
            var match = IntelMatch(field: probe.field, observed: probe.shown, feed: hit.feed, objectID: hit.entry.objectID,
                                   confidence: hit.entry.confidence, description: hit.entry.description)
            match.kind = hit.entry.kind
            match.indicatorValue = matched ?? hit.entry.value
            match.validUntil = hit.entry.validUntil
            match.similarity = similarity
            out.append(match)
        }
        let byKind = Dictionary(grouping: probes, by: \.kind)
        for (kind, group) in byKind {
            let kinds = kind == "github" || kind == "linkedin" ? [kind, "account"] : [kind]
            let hits = try await store.lookupFeeds(kinds: kinds, values: Array(Set(group.map(\.value))), asOf: context.asOf)
            for hit in hits { for probe in group where probe.value == hit.entry.value { add(probe, hit) } }
        }
        for probe in byKind["ip"] ?? [] {
            guard let bytes = IntelValues.addressBytes(probe.value) else { continue }
            for hit in try await store.lookupFeedRanges(address: bytes, asOf: context.asOf) { add(Probe(field: probe.field, kind: "ip-range", value: probe.value, shown: probe.shown), hit) }
        }
        let organisations = Self.organisations(context)
        if !organisations.isEmpty {
            let entries = try await store.feedEntries(kind: "organization", asOf: context.asOf, limit: 100_000)
            for (field, name) in organisations {
                let tokens = IntelValues.organisationTokens(name)
                for hit in entries {
                    if let similarity = OrganisationMatching.similarity(tokens, hit.entry.value.split(separator: " ").map(String.init)) {
                        add(Probe(field: field, kind: "organization", value: tokens.joined(separator: " "), shown: name), hit,
                            matched: hit.entry.description?.components(separatedBy: " · ").first ?? hit.entry.value, similarity: similarity)
                    }
                }
            }
        }
        return out.sorted { ($0.field, $0.feed, $0.objectID) < ($1.field, $1.feed, $1.objectID) }
    }
}

/// Fuzzy comparison of company names after normalisation (legal forms and punctuation dropped):
/// equal, or every token of the listed name found in the observed one allowing one typo per
/// token of 5+ letters, or a whole-string edit similarity of at least 0.85. A listed name of
/// one token must be matched exactly (so "Fortuna LLC" does not catch "Fortuna Foods").
public enum OrganisationMatching {
    public static func similarity(_ observed: [String], _ listed: [String]) -> Double? {
        guard !observed.isEmpty, !listed.isEmpty else { return nil }
        let a = observed.joined(separator: " "), b = listed.joined(separator: " ")
        if a == b { return 1 }
        if listed.count == 1 || observed.count == 1 { return nil }
        let distance = editDistance(Array(a), Array(b))
        let ratio = 1 - Double(distance) / Double(max(a.count, b.count))
        if ratio >= 0.85 { return (ratio * 100).rounded() / 100 }
        // Every listed token present (with at most one typo in long tokens), and the observed
        // name not much longer than the listed one.
        guard observed.count <= listed.count + 1 else { return nil }
        let all = listed.allSatisfy { token in
            observed.contains { $0 == token || (token.count >= 5 && editDistance(Array($0), Array(token)) <= 1) }
        }
        return all ? 0.85 : nil
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
