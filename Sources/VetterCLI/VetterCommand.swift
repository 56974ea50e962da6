import ArgumentParser
import Foundation
import VetterCore

/// The `vetter` command.
public struct VetterCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "vetter",
        abstract: "Screen job applications for signs of stolen, rented or invented identities, with every point explained.",
        discussion: "Vetter supports a human decision; it never rejects anyone by itself.\n\n" + ExitStatus.help,
        version: VetterVersion.current,
        subcommands: [ScreenCommand.self, ParseCommand.self, BatchCommand.self, IndicatorsCommand.self, ExplainCommand.self, PolicyCommand.self, StoreCommand.self, LinksCommand.self, FeedsCommand.self, ExportCommand.self, ServeCommand.self, TokensCommand.self, EvalCommand.self]
    )

    public init() {}
}
