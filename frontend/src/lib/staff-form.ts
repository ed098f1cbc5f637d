//! The state every staff form (meetings, consultations, budgets) keeps: the values, the errors
//! found before sending and those the API sent back (by field path), whether it is sending, and
//! after a failed attempt the keyboard taken to the first field to fix.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { errorsByPath, problemCode } from './errors';

export function useStaffForm<T>(initial: T, validate: (form: T) => Record<string, string>, onSubmit: (form: T) => Promise<unknown>) {
  const [f, setF] = useState(initial);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (attempt > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);

  const set = <K extends keyof T>(key: K, value: T[K]) => setF((old) => ({ ...old, [key]: value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = validate(f);
    setClientErrors(found);
    if (Object.keys(found).length > 0) {
      setError({ status: 422, code: 'validation-failed' });
      setAttempt((n) => n + 1);
      return;
    }
    setBusy(true);
    setError(undefined);
    const failure = await onSubmit(f).catch((err: unknown) => err);
    setBusy(false);
    if (failure) {
      setError(failure);
      setAttempt((n) => n + 1);
    }
  };
  return {
    f,
    set,
    /** Field errors by the API's paths: ours over the server's. */
    errors: { ...errorsByPath(error), ...clientErrors },
    error,
    busy,
    /** The API refused the edit because someone changed the resource meanwhile (412). */
    stale: problemCode(error) === 'precondition-failed',
    formRef,
    onSubmit: (e: FormEvent) => void submit(e),
  };
}
