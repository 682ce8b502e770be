export { runCli, CLI_VERSION, type CliOptions } from './cli.js';
export { builtinPlugins } from './builtin-plugins.js';
export { EXIT, processIO, type CliIO } from './cli-io.js';
export { writeRunReport, REPORT_FILE, PLOTS_FOLDER, type RunReport, type RunReportOptions } from './report/write-run-report.js';
