import VetterCLI
@main enum Entry { static func main() async { await VetterCommand.main() } }
