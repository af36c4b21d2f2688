import DiscoverCLI

await DiscoverCommand.main(CommandLine.arguments)
