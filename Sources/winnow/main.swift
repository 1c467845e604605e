import Foundation
import WinnowCLI

exit(await WinnowMain.run(Array(CommandLine.arguments.dropFirst())))
