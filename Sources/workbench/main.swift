import WorkbenchCLI

WorkbenchCommand.start()
