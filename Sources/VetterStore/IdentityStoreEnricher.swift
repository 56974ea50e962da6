import Foundation
import VetterCore

/// Looks the application up in the identity store (→ ``Facts/reuse``), then records it, so
/// that members of one batch find each other. A store failure is reported in the notes, with
/// no personal data, and leaves the reuse indicators skipped.
public struct IdentityStoreEnricher: Enricher {
    public static let enricherName = "identity-store"
    public var name: String { Self.enricherName }

    public let store: any IdentityStore
    public let key: IdentityKey
    /// False for a dry run (`screen --no-record`): look up only.
    public var record: Bool
    /// Recording makes each answer depend on the applications recorded before.
    public var isSequential: Bool { record }

    public init(store: any IdentityStore, key: IdentityKey, record: Bool = true) {
        self.store = store
        self.key = key
        self.record = record
    }

    public func enrich(_ context: inout ScreeningContext) async {
        // Addresses of VPN, hosting, proxy, Tor, carrier and corporate exits (when the IP
        // intelligence ran first) are shared by design and are not recorded as identifiers.
        let exits = Set(context.facts.network.values.filter { !$0.networkClasses.isDisjoint(with: NetworkClass.sharedExits) }
            .map { $0.ip.trimmingCharacters(in: .whitespaces).lowercased() })
        let identity = IdentityRecord.make(application: context.application, resume: context.resume, key: key, sharedExitIPs: exits)
        do {
            let matches = try await store.screen(identity, record: record)
            context.facts.reuse.append(contentsOf: matches)
            context.facts.enrichersRun.insert(name)
            let others = Set(matches.map(\.otherApplicationID)).count
            context.facts.notes.append("identity store: \(identity.identifiers.count) identifiers checked, \(others) other application(s) linked\(record ? "; application recorded" : "")")
        } catch {
            context.facts.notes.append("identity store unavailable: \(error)")
        }
    }
}
