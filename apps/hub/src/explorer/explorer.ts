import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Controller, Get, Header, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { HUB_CONFIG, HubConfig } from '@renkei/platform';
import type { ApolloServerPlugin } from '@apollo/server';
import { Public } from '@renkei/identity';
import type { Response } from 'express';

/**
 * The in-browser GraphQL explorer (GraphiQL), served from npm packages by the hub itself: hub
 * hosts are often offline or air-gapped, so no CDN. Apollo's landing page slot renders the page
 * at GET /graphql for browsers; the assets come from /explorer/.
 */
const ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.js': {
    pkg: 'react-dom',
    file: 'umd/react-dom.production.min.js',
    type: 'text/javascript',
  },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
};

// React's `exports` map hides its UMD builds from require.resolve; its package.json is exported.
const assetPath = (a: { pkg: string; file: string }) =>
  join(dirname(require.resolve(`${a.pkg}/package.json`)), a.file);

// No pre-filled Authorization header: a logged-in browser's requests carry its session cookie
// (same-origin fetch; JSON, so Apollo's CSRF prevention lets them through), and so does the
// WebSocket of subscriptions. A header typed into Headers goes to both instead. A link may carry
// a document to open with in its fragment (#query=…), which never reaches the server.
const INIT_SCRIPT = `
const ws = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql';
const fetcher = GraphiQL.createFetcher({ url: '/graphql', subscriptionUrl: ws });
const linked = new URLSearchParams(location.hash.slice(1)).get('query');
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, {
    fetcher,
    shouldPersistHeaders: false,
    query: linked === null ? undefined : linked,
    defaultQuery: '# renkei GraphQL explorer\\n# Log in at /login first: queries and subscriptions then use that session.\\n# (Or put {"Authorization": "Bearer rkt_..."} under Headers to act as an API token.)\\n\\n{\\n  me { email organisation { name } }\\n}\\n',
  }),
);
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>renkei GraphQL explorer</title>
<link rel="stylesheet" href="/explorer/graphiql.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading the explorer...</div>
<script src="/explorer/react.js"></script>
<script src="/explorer/react-dom.js"></script>
<script src="/explorer/graphiql.js"></script>
<script src="/explorer/init.js"></script>
</body>
</html>`;

export function explorerLandingPage(): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: PAGE };
        },
      };
    },
  };
}

@Public()
@Controller('explorer')
export class ExplorerController {
  private readonly cache = new Map<string, Buffer>();

  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {}

  @Get('init.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  init(): string {
    if (!this.config.graphql.explorer) throw new NotFoundException();
    return INIT_SCRIPT;
  }

  @Get(':file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    const asset = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!asset || !this.config.graphql.explorer) throw new NotFoundException();
    let body = this.cache.get(file);
    if (!body) {
      body = readFileSync(assetPath(asset));
      this.cache.set(file, body);
    }
    res.setHeader('Content-Type', `${asset.type}; charset=utf-8`);
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.send(body);
  }
}
