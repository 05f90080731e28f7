import { useServerMutation } from "../../lib/server";
import { CsvImportFlow } from "./CsvImportFlow";

/** The import tab: the flow, sent through the core to the server's `csvImport.entries`. */
export function CsvImportPanel({ timeZone }: { timeZone: string }) {
  const importCsv = useServerMutation((s) => s.csvImport.entries);
  return <CsvImportFlow defaultTimeZone={timeZone} run={(input) => importCsv.mutateAsync(input)} />;
}
