import path from 'node:path';
import * as vscode from 'vscode';
import {
  compareAnswer,
  findTaskToTick,
  hotspotsAnswer,
  type LocationStatus,
  planAnswer,
  type TickAnswer,
} from '../core/agent/answers';
import { AGENT_TOOLS, AgentToolError, parseToolInput, type TickTaskInput } from '../core/agent/tool-specs';
import { workspaceRelativePath } from '../core/agent/workspace-path';
import { planJson } from '../core/plan/plan-json';
import type { Logger } from './logger';
import type { LocationState, PlanController } from './plan-controller';
import type { LoadedPlan, Session } from './session';

/**
 * The language-model tools of issue #18 (`vscode.lm.registerTool`; declared in package.json
 * `contributes.languageModelTools`): hotspots, plan and compare read the live session (what
 * the views show); tick task edits the plan through {@link PlanController.applyTaskDone}, the
 * Plan view's checkbox edit, after the user confirms. The answers come from `src/core/agent`,
 * shared with the MCP server. The read-only tools are registered always; tick task only in a
 * trusted workspace (registered when trust is granted; package.json gates it with
 * `isWorkspaceTrusted` too).
 * @returns the registrations (the caller disposes them)
 */
export function registerLanguageModelTools(
  session: Session,
  plans: PlanController,
  log: Logger,
): vscode.Disposable[] {
  const out: vscode.Disposable[] = [];
  const tool = <T>(name: string, answer: (input: unknown) => Promise<unknown> | unknown, extra?: object) =>
    vscode.lm.registerTool<T>(name, {
      ...extra,
      invoke: async (options) => {
        try {
          const result = await answer(options.input);
          return new vscode.LanguageModelToolResult([
            new vscode.LanguageModelTextPart(JSON.stringify(result)),
          ]);
        } catch (e) {
          if (!(e instanceof AgentToolError)) log.error(`Tool ${name}: ${e instanceof Error ? e.stack : e}`);
          throw e;
        }
      },
    });

  out.push(
    tool(AGENT_TOOLS.hotspots.lmName, (raw) => {
      const input = parseToolInput(AGENT_TOOLS.hotspots.input, raw);
      const p = requireProfile(session);
      const sections = new Map<string, string>();
      for (const f of p.analysis.hotspots) {
        const link = session.planLinksFor(f)[0];
        if (link) sections.set(f.key, link.section);
      }
      return hotspotsAnswer(p.analysis, sourceName(session, p.uri), sections, input);
    }),
    tool(AGENT_TOOLS.plan.lmName, (raw) => {
      const input = parseToolInput(AGENT_TOOLS.plan.input, raw);
      const loaded = choosePlan(session, input.plan);
      return planAnswer(
        loaded.plan,
        loaded.file,
        (loc) => locationStatus(plans.locationState(loaded.uri, loc)),
        input,
      );
    }),
    tool(AGENT_TOOLS.compare.lmName, (raw) => {
      const input = parseToolInput(AGENT_TOOLS.compare.input, raw);
      const p = requireProfile(session);
      const b = session.baseline;
      const c = session.comparison;
      if (!b || !c)
        throw new AgentToolError(
          'No baseline is set: the user compares with a baseline with "Hotspot Lens: Compare with Baseline…" (or re-profiles: the previous profile becomes the baseline).',
        );
      const plan = session.plans[0];
      const check = (plan && session.planCheckFor(plan.uri)) ?? { claims: [], gains: [] };
      return compareAnswer(
        c,
        check,
        {
          // after a re-profile both are the same file: the baseline is its earlier recording
          baseline:
            b.uri.toString() === p.uri.toString()
              ? `${sourceName(session, b.uri)} (earlier recording: ${b.label})`
              : sourceName(session, b.uri),
          profile: sourceName(session, p.uri),
        },
        input,
      );
    }),
  );

  let tick: vscode.Disposable | undefined;
  const registerTick = () => {
    if (tick || !vscode.workspace.isTrusted) return;
    tick = tool<TickTaskInput>(AGENT_TOOLS.tickTask.lmName, (raw) => tickTask(session, plans, raw), {
      prepareInvocation: (options: vscode.LanguageModelToolInvocationPrepareOptions<TickTaskInput>) =>
        tickConfirmation(session, options.input),
    });
    log.info('Language-model tool hotspotLens_tickTask registered (trusted workspace)');
  };
  registerTick();
  out.push(
    vscode.workspace.onDidGrantWorkspaceTrust(registerTick),
    new vscode.Disposable(() => tick?.dispose()),
  );
  return out;
}

/**
 * The question the user answers before a task is ticked (`prepareInvocation`): which task
 * (its text and 1-based line), which plan, what changes. Never throws: when the plan or task
 * cannot be found the question names the line asked for (the invocation then says why not).
 */
export function tickConfirmation(session: Session, raw: TickTaskInput): vscode.PreparedToolInvocation {
  const verb = raw?.done === false ? 'Untick' : 'Tick';
  let what = `the task on line ${raw?.line}`;
  let file = 'the plan';
  try {
    const loaded = choosePlan(session, raw?.plan);
    file = loaded.file;
    const t = loaded.plan.tasks.find((x) => x.line === raw?.line);
    if (t) what = `"${t.text.length > 120 ? `${t.text.slice(0, 119)}…` : t.text}" (line ${t.line})`;
  } catch {
    // the invocation reports the problem; the question still names what was asked
  }
  return {
    invocationMessage: `${verb === 'Tick' ? 'Ticking' : 'Unticking'} a task in ${file}`,
    confirmationMessages: {
      title: `${verb} plan task?`,
      message: new vscode.MarkdownString(
        `${verb} ${what} in \`${file}\`: ${verb === 'Tick' ? '`[ ]` → `[x]`' : '`[x]` → `[ ]`'}, nothing else in the plan changes (undoable).`,
      ),
    },
  };
}

async function tickTask(session: Session, plans: PlanController, raw: unknown): Promise<TickAnswer> {
  const input = parseToolInput(AGENT_TOOLS.tickTask.input, raw);
  const loaded = choosePlan(session, input.plan);
  const task = findTaskToTick(loaded.plan, input);
  const r = await plans.applyTaskDone({ planUri: loaded.uri, task }, input.done);
  if ('refused' in r) throw new AgentToolError(r.refused);
  const now = session.plans.find((p) => p.uri.toString() === loaded.uri.toString()) ?? loaded;
  return {
    plan: loaded.file,
    task: { text: task.text, line: task.line },
    done: input.done,
    changed: r.written,
    progress: planJson(now.plan).progress,
  };
}

function requireProfile(session: Session) {
  const p = session.profile;
  if (!p)
    throw new AgentToolError(
      'No profile is loaded: the user loads one with "Hotspot Lens: Load Profile…" (perf script, folded stacks, flame graph SVG, .cpuprofile, pprof, callgrind, …).',
    );
  return p;
}

/** The loaded plan a tool input names (workspace-relative path), or the first loaded plan. */
function choosePlan(session: Session, wanted: string | undefined): LoadedPlan {
  const loaded = session.plans;
  if (loaded.length === 0)
    throw new AgentToolError('No plan is loaded: the user loads one with "Hotspot Lens: Load Plan…".');
  if (wanted === undefined) return loaded[0];
  const rel = workspaceRelativePath(wanted);
  const hit = loaded.find((p) => p.file === rel);
  if (!hit)
    throw new AgentToolError(
      `The plan "${rel}" is not loaded; loaded: ${loaded.map((p) => p.file).join(', ')}.`,
    );
  return hit;
}

/** A profile's file relative to the workspace folder; its file name when outside. */
function sourceName(session: Session, uri: vscode.Uri): string {
  return session.relativePath(uri) ?? path.posix.basename(uri.path);
}

function locationStatus(state: LocationState): LocationStatus {
  switch (state.kind) {
    case 'found':
      return 'exists';
    case 'new':
      return 'planned new';
    case 'missing':
      return 'not found';
    case 'outside':
      return 'outside the workspace';
  }
}
