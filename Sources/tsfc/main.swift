// tsfc: the command-line entry point. All commands live in TSFCCommands.
import TSFCCommands

TSFCCommand.launch()
