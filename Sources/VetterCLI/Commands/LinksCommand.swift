import ArgumentParser
import Foundation
import VetterCore
import VetterStore

/// `vetter links APPLICATION_ID`: the applications connected to one, for a security review.
/// Shows ids, dates and the kinds of what is shared, never the shared values themselves.
struct LinksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "links",
        abstract: "Show the applications linked to one through shared identifiers or near-duplicate résumés."
    )

    @Argument(help: "The application id.") var applicationID: String
    @OptionGroup var options: StoreOptions
    @Flag(help: "JSON output.") var json = false

    func run() async throws {
        let (store, _) = try await options.open()
        guard let report = try await store.links(applicationID: applicationID) else {
            printError("application \(applicationID) is not in the store")
            throw ExitCode(ExitStatus.noInput)
        }
        let formatter = ISO8601DateFormatter()
        func date(_ d: Date?) -> String { d.map { String(formatter.string(from: $0).prefix(10)) } ?? "unknown" }
        if json {
            let object: [String: Any] = [
                "application": report.applicationID, "received_at": date(report.receivedAt), "truncated": report.truncated,
                "linked": report.linked.map {
                    ["application": $0.applicationID, "received_at": date($0.receivedAt), "distance": $0.distance,
                     "via": $0.via, "reached_from": $0.reachedFrom, "different_identity": $0.differentIdentity] as [String: Any]
                },
            ]
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self))
            return
        }
        print("application \(report.applicationID) (\(date(report.receivedAt))): \(report.linked.count) linked application(s)\(report.truncated ? " (stopped at the size limit)" : "")")
        for link in report.linked {
            let name = link.differentIdentity ? "different name" : "consistent name"
            print("  \(String(repeating: "  ", count: link.distance - 1))\(link.applicationID) (\(date(link.receivedAt)), \(name)): \(link.via.joined(separator: ", ")) shared with \(link.reachedFrom)")
        }
        if !report.linked.isEmpty {
            print("Links are facts to verify: families, agencies and shared offices also share details.")
        }
    }
}
