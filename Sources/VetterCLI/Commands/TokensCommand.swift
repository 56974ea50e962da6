import ArgumentParser
import Foundation
import VetterCore
import VetterServer
import VetterStore

/// `vetter tokens create|list|revoke`: bearer tokens for `vetter serve`, stored hashed.
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Manage the API tokens of vetter serve (stored as SHA-256 hashes; a token is shown once).",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token and print it once.")
        @Option(help: "recruiter (band and verification steps), security (full evidence, links, review queue) or admin (also tokens).")
        var role: TokenRole
        @Option(help: "A label to recognise the token by (no personal data).") var label = ""
        @OptionGroup var options: StoreOptions

        func run() async throws {
            let store = try await options.openServerStore().store
            let (id, token) = try await store.createToken(role: role, label: label, actor: "cli")
            printError("created \(role.rawValue) token \(id); it is shown once, store it safely:")
            print(token)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (ids, roles, labels; never the tokens).")
        @OptionGroup var options: StoreOptions

        func run() async throws {
            let store = try await options.openServerStore().store
            let formatter = ISO8601DateFormatter()
            for token in try await store.tokens() {
                let revoked = token.revokedAt.map { " revoked \(formatter.string(from: $0))" } ?? ""
                print("\(token.id)  \(token.role.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))  created \(formatter.string(from: token.createdAt))\(revoked)  \(token.label)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by id.")
        @Argument(help: "The token id (tok_…).") var id: String
        @OptionGroup var options: StoreOptions

        func run() async throws {
            let store = try await options.openServerStore().store
            guard try await store.revokeToken(id: id, actor: "cli") else {
                printError("no active token \(id)")
                throw ExitCode(ExitStatus.noInput)
            }
            print("revoked \(id)")
        }
    }
}

extension StoreOptions {
    /// The store given by `--store` with the server's tables (tokens, screenings, decisions,
    /// audit log) beside the identity checks and feeds: a SQLite file or a `postgres://` URL.
    func openServerStore() async throws -> (store: any ServerStore, key: IdentityKey) {
        let (store, key) = try await open()
        guard let server = store as? any ServerStore else {
            printError("\(redactedLocation): this store cannot hold the server's records")
            throw ExitCode(ExitStatus.config)
        }
        return (server, key)
    }
}

extension TokenRole: ExpressibleByArgument {}
