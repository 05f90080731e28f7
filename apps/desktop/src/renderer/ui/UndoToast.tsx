import { Toast } from "radix-ui";
import { createContext, useCallback, useContext, useState, type ReactNode } from "react";
import { errorText } from "../lib/errors";

interface Offer {
  id: number;
  text: string;
  undo: () => Promise<unknown>;
}

type OfferUndo = (text: string, undo: () => Promise<unknown>) => void;
const UndoContext = createContext<OfferUndo>(() => undefined);

/** "Deleted · Undo" for a few seconds instead of asking first (undo over confirm). */
export function UndoProvider({ children }: { children: ReactNode }) {
  const [offer, setOffer] = useState<Offer | null>(null);
  // An undo the core refuses (too late, the time is taken now) says why: its row may be gone already.
  const [failure, setFailure] = useState<string | null>(null);
  const offerUndo = useCallback<OfferUndo>((text, undo) => {
    setFailure(null);
    setOffer({ id: Date.now(), text, undo });
  }, []);
  return (
    <Toast.Provider duration={6000} label="Notification">
      <UndoContext.Provider value={offerUndo}>{children}</UndoContext.Provider>
      {offer && (
        <Toast.Root
          key={offer.id}
          onOpenChange={(open) => !open && setOffer(null)}
          className="flex items-center gap-4 rounded-lg bg-ink px-4 py-2.5 text-sm text-canvas shadow-xl"
        >
          <Toast.Title>{offer.text}</Toast.Title>
          <Toast.Action altText="Undo" asChild>
            <button
              type="button"
              className="font-semibold underline"
              onClick={() => {
                offer.undo().catch((err: unknown) => setFailure(`Cannot undo: ${errorText(err)}`));
                setOffer(null);
              }}
            >
              Undo
            </button>
          </Toast.Action>
        </Toast.Root>
      )}
      {failure && (
        <Toast.Root
          onOpenChange={(open) => !open && setFailure(null)}
          className="rounded-lg bg-danger px-4 py-2.5 text-sm text-canvas shadow-xl"
          data-testid="undo-failure"
        >
          <Toast.Title>{failure}</Toast.Title>
        </Toast.Root>
      )}
      <Toast.Viewport className="fixed bottom-4 left-1/2 z-50 -translate-x-1/2 outline-none" />
    </Toast.Provider>
  );
}

export const useUndo = () => useContext(UndoContext);
