import { memo, useContext, useState } from "react";
import { formatCount } from "../../format";
import { ActionsContext } from "../context";
import { formatVersion, metafileFor, parseVersion, versionOptions } from "../format";
import type { ResultView, Version } from "../protocol";

interface Props {
  uid: string;
  group: string;
  result: ResultView;
  /** Before each test id: the inspector's rows ("inspect-") are told from the card's. */
  testPrefix?: string;
}

/** One result of an output group: a drag source for one slot, at the chosen version. */
export const ResultRow = memo(function ResultRow({ uid, group, result, testPrefix = "" }: Props) {
  const { actions } = useContext(ActionsContext);
  const [version, setVersion] = useState<Version>("F");
  const id = `${uid}-${group}-${result.name}`;
  const metafile = metafileFor(result, version);
  const only = result.versions.length === 1 ? result.versions[0] : undefined;

  return (
    <li
      className="cw-result nodrag"
      data-testid={`${testPrefix}result-${id}`}
      data-passthrough={result.passthrough ? "true" : undefined}
      title={`Drag ${result.name} onto a slot to override it`}
      onPointerDown={(event) =>
        actions.startDrag(
          { kind: "result", job: uid, output: group, result: result.name, version },
          event,
        )
      }
    >
      <span className="cw-result-name">{result.name}</span>
      {result.passthrough && (
        <span className="cw-badge cw-badge-pass" title="Passed through unread from an input">
          passthrough
        </span>
      )}
      <span className="cw-result-type">{result.type}</span>
      {result.versions.length > 1 ? (
        <select
          className="cw-version nodrag"
          data-testid={`${testPrefix}version-${id}`}
          aria-label={`Version of ${result.name}`}
          value={String(version)}
          onChange={(event) => setVersion(parseVersion(event.target.value))}
        >
          {versionOptions(result).map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      ) : (
        only !== undefined && <span className="cw-version-text">{formatVersion(only)}</span>
      )}
      {metafile !== null && (
        <>
          <button
            type="button"
            className="cw-icon-button cw-icon-copy"
            data-testid={`${testPrefix}copy-${id}`}
            title={`Copy path of ${metafile}`}
            aria-label={`Copy path of ${result.name}`}
            onClick={() => actions.copyPath(metafile)}
          />
          <button
            type="button"
            className="cw-icon-button cw-icon-download"
            data-testid={`${testPrefix}download-${id}`}
            title={`Download ${metafile} (${formatCount(result.num_items)} rows)`}
            aria-label={`Download ${result.name}`}
            onClick={() => actions.download(uid, group, result.name, version)}
          />
        </>
      )}
    </li>
  );
});
