import Foundation
import VetterCore

/// Looks the application up in the identity store (→ ``Facts/reuse``), then records it, so
/// that members of one batch find each other. A store failure is reported in the notes, with
/// no personal data, and leaves the reuse indicators skipped.
public struct IdentityStoreEnricher: GroupEnricher {
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
        let identity = takePrepared(&context) ?? identityRecord(context)
        do {
            apply(try await store.screen(identity, record: record), identity, to: &context)
        } catch {
            context.facts.notes.append("identity store unavailable: \(error)")
        }
    }

    /// Makes the identity record (keyed identifiers, résumé shingles and their MinHash ranking:
    /// the costly part, which depends on this application alone) ahead of the sequential step.
    public func prepare(_ context: inout ScreeningContext) {
        context.prepared[name] = identityRecord(context)
    }

    func takePrepared(_ context: inout ScreeningContext) -> IdentityRecord? {
        context.prepared.removeValue(forKey: name) as? IdentityRecord
    }

    /// A group in one store call (one transaction on SQLite). The identity records, the costly
    /// part, are those made by ``prepare(_:)``; any missing are made on every core first.
    public func enrich(group contexts: inout [ScreeningContext]) async {
        guard !contexts.isEmpty else { return }
        var identities = contexts.indices.map { takePrepared(&contexts[$0]) }
        let missing = identities.indices.filter { identities[$0] == nil }
        if !missing.isEmpty {
            let inputs = contexts
            identities.withUnsafeMutableBufferPointer { buffer in
                // Each iteration writes its own slot only.
                let slots = Slots(base: buffer.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: missing.count) { k in
                    let i = missing[k]
                    slots.base.advanced(by: i).pointee = identityRecord(inputs[i])
                }
            }
        }
        let made = identities.map { $0! }
        do {
            let all = try await store.screen(batch: made, record: record)
            for i in contexts.indices { apply(all[i], made[i], to: &contexts[i]) }
        } catch {
            for i in contexts.indices { contexts[i].facts.notes.append("identity store unavailable: \(error)") }
        }
    }

    func identityRecord(_ context: ScreeningContext) -> IdentityRecord {
        // Addresses of VPN, hosting, proxy, Tor, carrier and corporate exits (when the IP
        // intelligence ran first) are shared by design and are not recorded as identifiers.
        let exits = Set(context.facts.network.values.filter { !$0.networkClasses.isDisjoint(with: NetworkClass.sharedExits) }
            .map { $0.ip.trimmingCharacters(in: .whitespaces).lowercased() })
        return IdentityRecord.make(application: context.application, resume: context.resume, key: key, sharedExitIPs: exits)
    }

    func apply(_ matches: [ReuseMatch], _ identity: IdentityRecord, to context: inout ScreeningContext) {
        context.facts.reuse.append(contentsOf: matches)
        context.facts.enrichersRun.insert(name)
        let others = Set(matches.map(\.otherApplicationID)).count
        context.facts.notes.append("identity store: \(identity.identifiers.count) identifiers checked, \(others) other application(s) linked\(record ? "; application recorded" : "")")
    }
}

private struct Slots: @unchecked Sendable {
    let base: UnsafeMutablePointer<IdentityRecord?>
}
