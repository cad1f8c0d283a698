import { Link } from 'react-router';
import { useHasData } from './use-setup.ts';
import { SetupInstructions } from './setup-instructions.tsx';

export function SetupPage() {
  const hasData = useHasData();
  return (
    <div className="page">
      {hasData.data === true ? (
        <p role="status">
          Telemetry is arriving. <Link to="/">See the services</Link>. To add another app, use the same settings:
        </p>
      ) : null}
      <SetupInstructions title={hasData.data === true ? 'Send telemetry to Tracehouse' : 'No telemetry yet'} />
    </div>
  );
}
