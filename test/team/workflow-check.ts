import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";

/** What GitHub's own workflow parser finds wrong with a workflow (empty: nothing). */
export async function workflowProblems(text: string): Promise<string[]> {
  const parsed = parseWorkflow({ name: "mity.yml", content: text }, new NoOperationTraceWriter());
  const problems = parsed.context.errors.getErrors().map((error) => error.message);
  if (problems.length > 0 || parsed.value === undefined) return problems.length > 0 ? problems : ["no workflow"];
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  return (template.errors ?? []).map((error) => error.Message);
}

/** Each job's id and the ids it needs, as GitHub reads them. */
export async function jobsOf(text: string): Promise<Record<string, string[]>> {
  const parsed = parseWorkflow({ name: "mity.yml", content: text }, new NoOperationTraceWriter());
  const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
  return Object.fromEntries(template.jobs.map((job) => [job.id.value, (job.needs ?? []).map((need) => need.value)]));
}
