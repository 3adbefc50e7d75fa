export { renderReport } from "./render-report.js";
export type { ReportOptions } from "./report-options.js";
export { writeReport } from "./write-report.js";
