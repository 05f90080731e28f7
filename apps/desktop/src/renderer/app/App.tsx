import { SignInScreen } from "../features/sign-in/SignInScreen";
import { useSession } from "../lib/data";
import { Frame } from "./Frame";
import { Providers } from "./providers";
import { UiStateProvider } from "./ui-state";
import { UndoProvider } from "../ui/UndoToast";

function Gate() {
  const session = useSession();
  if (session.isPending) return <p className="p-6 text-muted">Opening…</p>;
  if (session.isError) {
    return (
      <p role="alert" className="p-6 text-danger">
        The app's local service is not answering. Restart the app.
      </p>
    );
  }
  if (!session.data.user) return <SignInScreen serverUrl={session.data.serverUrl} />;
  return (
    <UiStateProvider key={session.data.currentWorkspaceId}>
      <UndoProvider>
        <Frame session={session.data} />
      </UndoProvider>
    </UiStateProvider>
  );
}

export function App() {
  return (
    <Providers>
      <Gate />
    </Providers>
  );
}
