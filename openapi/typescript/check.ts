// Compiled by .ci/validate against the types openapi-typescript generates from openapi.json:
// the names an integrator's TypeScript code uses exist, and closed sets are unions.
import type { components, operations, paths } from "./os2pm";

type ProjectView = components["schemas"]["ProjectView"];
type VoteRequest = paths["/api/v1/approvals/{id}/votes"]["post"]["requestBody"];
type Problem = components["schemas"]["Problem"];

const concept: components["schemas"]["State"] = "concept";
const approve: components["schemas"]["Decision"] = "approve";

export function summary(project: ProjectView): string {
  const level: components["schemas"]["Level"] | null | undefined = project.level;
  return `${project.title}: ${project.state} at ${level ?? "-"} (${concept}, ${approve})`;
}

export function unmet(problem: Problem): string[] {
  return (problem.unmet_requirements ?? []).map((r) => r.key);
}

export type CastVote = operations["castVote"];
export type { VoteRequest };
