import { useCallback, useEffect, useRef, useState } from "react";
import type { NoticeState } from "./canvas/Notices";

const ERROR_MS = 12_000;
const INFO_MS = 3_000;

/** Errors stay long enough to read (or until dismissed); notes of what was done go quickly. */
export function useNotices() {
  const [notices, setNotices] = useState<NoticeState>({ error: null, info: null });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const show = useCallback((next: NoticeState, ms: number) => {
    clearTimeout(timer.current);
    setNotices(next);
    timer.current = setTimeout(() => setNotices({ error: null, info: null }), ms);
  }, []);
  const showError = useCallback((error: string) => show({ error, info: null }, ERROR_MS), [show]);
  const showInfo = useCallback((info: string) => show({ error: null, info }, INFO_MS), [show]);
  const clear = useCallback(() => {
    clearTimeout(timer.current);
    setNotices({ error: null, info: null });
  }, []);

  useEffect(() => () => clearTimeout(timer.current), []);
  return { notices, showError, showInfo, clear };
}
