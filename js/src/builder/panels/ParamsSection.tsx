import { useEffect, useRef, useState } from "react";
import type { RequestClient } from "../client";
import type { Command, ParamsReply, ParamValue, ParamView } from "../protocol";

interface Props {
  client: RequestClient;
  job: string;
  /** The graph's revision: an edit (here, in a cell, or undone) reloads the values. */
  revision: number;
  command: (command: Command) => Promise<boolean>;
}

type Loaded =
  | { state: "loading" }
  | { state: "error"; error: string }
  | { state: "ok"; reply: ParamsReply };

/**
 * The inspector's parameters: a job's parameters by section, as CryoSPARC names them, each with
 * its default. Every change is a `set_param` command (Python checks it and says why it refuses);
 * "advanced" parameters show on request.
 */
export function ParamsSection({ client, job, revision, command }: Props) {
  const [loaded, setLoaded] = useState<Loaded>({ state: "loading" });
  const [advanced, setAdvanced] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new revision means new values
  useEffect(() => {
    let live = true;
    client.request({ type: "params", job }).then(
      ({ reply }) => live && setLoaded({ state: "ok", reply }),
      (error: Error) => live && setLoaded({ state: "error", error: error.message }),
    );
    return () => {
      live = false;
    };
  }, [client, job, revision]);

  const head = (
    <div className="cw-section-head">
      <span className="cw-muted">
        {loaded.state === "ok" &&
          `${loaded.reply.type_title}${loaded.reply.editable ? "" : " · read-only (only a building job's parameters change)"}`}
      </span>
      <span className="cw-spacer" />
      <label className="cw-muted cw-advanced-toggle">
        <input
          type="checkbox"
          data-testid="params-advanced"
          checked={advanced}
          onChange={(event) => setAdvanced(event.target.checked)}
        />{" "}
        advanced
      </label>
    </div>
  );
  if (loaded.state !== "ok") {
    return (
      <section className="cw-params" data-testid="params-panel" aria-label="Parameters">
        {head}
        <div className={loaded.state === "error" ? "cw-handoff-error" : "cw-muted"}>
          {loaded.state === "error" ? loaded.error : "Loading…"}
        </div>
      </section>
    );
  }
  const { reply } = loaded;
  const shown = reply.params.filter((param) => advanced || !param.advanced || param.changed);
  const sections = new Map<string, ParamView[]>();
  for (const param of shown) {
    const list = sections.get(param.section) ?? [];
    list.push(param);
    sections.set(param.section, list);
  }
  const hidden = reply.params.length - shown.length;
  return (
    <section className="cw-params" data-testid="params-panel" aria-label="Parameters">
      {head}
      {reply.params.length === 0 && (
        <div className="cw-muted">No parameters known for this job type.</div>
      )}
      {[...sections].map(([section, params]) => (
        <section key={section} className="cw-param-section">
          <h4>{section || "General"}</h4>
          {params.map((param) => (
            <ParamRow
              key={param.key}
              job={job}
              param={param}
              editable={reply.editable}
              command={command}
            />
          ))}
        </section>
      ))}
      {hidden > 0 && (
        <div className="cw-muted">
          {hidden} advanced parameter{hidden === 1 ? "" : "s"} hidden
        </div>
      )}
    </section>
  );
}

function ParamRow({
  job,
  param,
  editable,
  command,
}: {
  job: string;
  param: ParamView;
  editable: boolean;
  command: (command: Command) => Promise<boolean>;
}) {
  const set = (value: ParamValue) => command({ op: "set_param", job, key: param.key, value });
  return (
    <div
      className={`cw-param${param.changed ? " cw-param-changed" : ""}`}
      data-testid={`param-${param.key}`}
      title={`${param.key}: ${param.help}`}
    >
      <span className="cw-param-title">{param.title}</span>
      <ParamInput param={param} editable={editable} onSet={set} />
      <span className="cw-param-default">default {shown(param.default)}</span>
      {editable && param.is_set && (
        <button
          type="button"
          className="cw-icon-button"
          data-testid={`param-reset-${param.key}`}
          title={`Back to the default (${shown(param.default)})`}
          aria-label={`Reset ${param.key}`}
          onClick={() => void command({ op: "clear_param", job, key: param.key })}
        >
          ↺
        </button>
      )}
    </div>
  );
}

function ParamInput({
  param,
  editable,
  onSet,
}: {
  param: ParamView;
  editable: boolean;
  /** Resolves false when Python refused the value (the reason is shown on the canvas). */
  onSet: (value: ParamValue) => Promise<boolean>;
}) {
  const testId = `param-input-${param.key}`;
  const box = useRef<HTMLInputElement>(null);
  if (param.type === "bool") {
    return (
      <input
        type="checkbox"
        data-testid={testId}
        checked={param.value === true}
        disabled={!editable}
        onChange={(event) => void onSet(event.target.checked)}
      />
    );
  }
  if (param.type === "choice") {
    return (
      <select
        data-testid={testId}
        value={String(param.value ?? "")}
        disabled={!editable}
        onChange={(event) => void onSet(event.target.value)}
      >
        {param.choices.map((choice) => (
          <option key={choice} value={choice}>
            {choice}
          </option>
        ))}
      </select>
    );
  }
  // Numbers and text: typed freely, sent on Enter or when the box loses focus; a refused
  // value gives way to the job's own again.
  const current = param.value === null ? "" : String(param.value);
  const commit = (text: string) => {
    const value = parse(param, text);
    if (value !== undefined && value !== param.value) {
      void onSet(value).then((ok) => {
        if (!ok && box.current) {
          box.current.value = current;
        }
      });
    }
  };
  return (
    <input
      ref={box}
      key={String(param.value)}
      type="text"
      inputMode={param.type === "str" ? "text" : "decimal"}
      data-testid={testId}
      defaultValue={current}
      placeholder={param.optional ? "not set" : ""}
      disabled={!editable}
      onBlur={(event) => commit(event.target.value)}
      onKeyDown={(event) => {
        if (event.key === "Enter") {
          commit((event.target as HTMLInputElement).value);
        }
      }}
    />
  );
}

/** What a box's text means for a parameter: null for an empty optional box; numbers as
 * numbers (Python refuses what is not one, and says why); undefined when nothing to send. */
export function parse(param: ParamView, text: string): ParamValue | undefined {
  const trimmed = text.trim();
  if (trimmed === "") {
    return param.optional ? null : undefined;
  }
  if (param.type === "int" || param.type === "float") {
    const number = Number(trimmed);
    return Number.isFinite(number) ? number : trimmed;
  }
  return text;
}

function shown(value: ParamValue): string {
  return value === null ? "not set" : String(value);
}
