// Browser entry of the GraphQL explorer: bundled by tools/build-explorer.mjs into
// dist/explorer and served by ExplorerController. Not compiled by the project's tsc.

// First import: Monaco must know where its workers are before GraphiQL loads it.
import './monaco-workers.js';

import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createRoot } from 'react-dom/client';

import 'graphiql/style.css';
import './explorer.css';

import { EXPLORER_TABS } from '../saved-operations.ts';

// Same origin as the page: no CORS, and it works behind whatever host/port serves it.
// Queries and mutations go over HTTP; subscriptions (the live feed) over a WebSocket
// speaking graphql-ws on the same path. For those the toolkit opens a graphql-ws
// client per run and sends the tab's Headers (e.g. Authorization) as the
// connection_init payload, which the service checks like the HTTP header.
const fetcher = createGraphiQLFetcher({
  url: `${location.origin}/graphql`,
  subscriptionUrl: `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/graphql`,
});

// GraphiQL 5 fills the variables and headers editors from its `initial*` props, not
// from the first of `defaultTabs`: pass them on a first visit (no saved tabs yet).
// Later visits restore the user's own tabs; passing them then would add a tab.
const firstVisit = localStorage.getItem('graphiql:tabState') === null;
const [firstTab] = EXPLORER_TABS;

createRoot(document.getElementById('explorer')).render(
  <GraphiQL
    fetcher={fetcher}
    defaultTabs={EXPLORER_TABS}
    initialVariables={firstVisit ? firstTab.variables : undefined}
    initialHeaders={firstVisit ? firstTab.headers : undefined}
    // Most examples need a key: open the headers editor where it goes.
    defaultEditorToolsVisibility="headers"
  >
    <GraphiQL.Logo>Charity Ledger</GraphiQL.Logo>
  </GraphiQL>,
);
