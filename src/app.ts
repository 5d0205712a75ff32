// The composition root: the one place where adapters are wired into modules.
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { featureWarnings } from './configWarnings.js';
import { AiFallbackChain } from './adapters/ai/aiFallbackChain.js';
import { loadKeyring } from './adapters/crypto/encryptionKeys.js';
import { SecretCipher } from './adapters/crypto/secretCipher.js';
import { VerifyTokenHasher } from './adapters/crypto/verifyTokenHasher.js';
import { DbApiKeyStore } from './adapters/db/apiKeyStore.js';
import { DbAuditLogReader } from './adapters/db/auditLogReader.js';
import { DbCustomerCareStore } from './adapters/db/adminCustomerCareStore.js';
import { CredentialVault } from './adapters/db/credentialVault.js';
import { openDatabase, type Database } from './adapters/db/database.js';
import { ensureEnvironmentTenant } from './adapters/db/environmentTenant.js';
import { DbMessageQueue } from './adapters/db/messageQueue.js';
import { TenantDatabase } from './adapters/db/tenantDatabase.js';
import { DbTenantCatalog } from './adapters/db/tenantCatalog.js';
import { DbTenantDataDoors } from './adapters/db/tenantDataDoors.js';
import { DbTenantContentStores } from './adapters/db/tenantContentStores.js';
import { DbTenantDirectory } from './adapters/db/tenantDirectory.js';
import { GraphApiClient } from './adapters/whatsapp/graphApiClient.js';
import { GraphMediaClient } from './adapters/whatsapp/graphMediaClient.js';
import { SpeechToTextClient } from './adapters/ai/speechToTextClient.js';
import { DocumentReader } from './adapters/documents/documentReader.js';
import { MediaUnderstanding } from './modules/replies/mediaUnderstanding.js';
import { installErrorHandlers } from './http/errorBody.js';
import { installSecurityHeaders } from './http/securityHeaders.js';
import { AuthFailureThrottle } from './http/authFailureThrottle.js';
import { createLogger } from './logger.js';
import { IngestService } from './modules/ingest/ingestService.js';
import { WEBHOOK_BODY_LIMIT, webhookRoutes } from './modules/ingest/webhookRoutes.js';
import { SmtpMailer } from './adapters/mail/smtpMailer.js';
import { CustomerCare } from './modules/replies/customerCare.js';
import { MessageKinds } from './modules/replies/messageKinds.js';
import { PresenceSignals } from './modules/replies/presenceSignals.js';
import { Escalator } from './modules/replies/escalator.js';
import { ReplyComposer } from './modules/replies/replyComposer.js';
import { MessageControls } from './modules/replies/messageControls.js';
import { ReplyProcessor } from './modules/replies/replyProcessor.js';
import { ReplyWorker } from './modules/replies/replyWorker.js';
import { CounterHousekeeping } from './modules/replies/counterHousekeeping.js';
import { DbRateCounterPruner } from './adapters/db/rateCounterPruner.js';
import { DbUnconfirmedParts } from './adapters/db/unconfirmedParts.js';
import { UnconfirmedResender } from './modules/replies/unconfirmedResender.js';
import { TenantContextCache } from './modules/replies/tenantContextCache.js';
import { WordVectorHolder } from './adapters/vectors/wordVectorHolder.js';
import { adminApi } from './modules/tenants/adminApi.js';
import { DbAnalyticsStore } from './adapters/db/analyticsStore.js';
import { AnalyticsService } from './modules/analytics/analyticsService.js';
import { DbReadiness } from './adapters/db/databaseReadiness.js';
import { DbQueueBacklog } from './adapters/db/queueBacklog.js';
import { PrometheusMetrics } from './adapters/metrics/prometheusMetrics.js';
import { operationsRoutes } from './modules/operations/operationsRoutes.js';
import { dashboardRoutes } from './modules/dashboard/dashboardRoutes.js';
import { embeddingWiring } from './composition/embeddingWiring.js';
import { inboxWiring } from './composition/inboxWiring.js';
import { DarajaClient } from './adapters/mpesa/darajaClient.js';
import { DbPaymentDirectory } from './adapters/db/paymentDirectory.js';
import { DbTenantPaymentStore } from './adapters/db/tenantPaymentStore.js';
import { DbPaymentFigures } from './adapters/db/paymentFigureQueries.js';
import { PaymentService } from './modules/payments/paymentService.js';
import { PaymentCallbacks } from './modules/payments/paymentCallbacks.js';
import { PaymentReconciler } from './modules/payments/paymentReconciler.js';
import { callbackRoutes } from './modules/payments/callbackRoutes.js';
import { ChatPayments } from './modules/payments/chatPayments.js';
import { PaymentTool } from './modules/payments/paymentTool.js';

export interface App {
  readonly server: FastifyInstance;
  readonly database: Database;
  readonly worker: ReplyWorker;
  readonly logger: Logger;
  /** Listens on the configured host and port and starts answering; resolves with the base URL. */
  start(): Promise<string>;
  /** Stops taking requests, finishes or releases claimed work, closes the database. */
  stop(graceMs?: number): Promise<void>;
  /** Key rotation: seals every stored credential with the first key of ENCRYPTION_KEYS, while serving. */
  reencryptAllSecrets(): Promise<{ rewritten: number; unreadable: number }>;
}

export async function buildApp(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<App> {
  for (const warning of featureWarnings(config)) logger.warn(warning);
  // A malformed key stops the start here, before anything is opened.
  const keyring = await loadKeyring({
    encryptionKeys: config.encryptionKeys,
    nodeEnv: config.nodeEnv,
    dataDir: config.dataDir,
    warn: (m) => logger.warn(m),
  });
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: Math.max(4, Math.min(20, config.worker.concurrency)),
    onListenError: (err) => logger.warn({ error: err.message }, 'database connection error; reconnecting'),
    warn: (message) => logger.warn(message),
  });
  const { db } = database;
  const metrics = new PrometheusMetrics({ queue: new DbQueueBacklog(db), roundTrips: () => database.roundTrips() });
  const cipher = new SecretCipher(keyring);
  const verifyTokens = new VerifyTokenHasher(keyring);
  const vault = new CredentialVault(db, cipher, logger, verifyTokens);
  // A keyring that cannot open the stored credentials refuses to start in production (logged elsewhere).
  await vault.verifyKeyring(config.nodeEnv === 'production').catch(async (err: unknown) => {
    await database.close();
    throw err;
  });
  await vault.encryptPlaintext();
  if (config.singleTenant) await ensureEnvironmentTenant(db, config.singleTenant.phoneNumberId);

  const directory = new DbTenantDirectory(db, config.defaultBrandId, vault, verifyTokens);
  const queue = new DbMessageQueue({
    db,
    ingestDb: database.ingestDb,
    parallelIngestWrites: database.engine === 'pglite' ? 1 : 3,
    announceWork: database.announceWork,
  });
  const tenants = new TenantDatabase(db, vault);
  const wordVectors = new WordVectorHolder(config.wordVectorsFile, logger);
  const contexts = new TenantContextCache({
    stores: tenants,
    environmentCredentials: config.singleTenant,
    wordVectors: wordVectors.current,
    ...config.tenantContexts,
    onRebuildError: (tenantId, err) =>
      logger.warn(
        { tenantId, error: (err as Error).message },
        'tenant context rebuild failed; the previous one keeps answering',
      ),
  });
  metrics.watchTenantContexts(contexts);
  const sender = new GraphApiClient({
    baseUrl: config.graph.baseUrl,
    apiVersion: config.graph.version,
    timeoutMs: config.graph.timeoutMs,
    maxAttempts: 3,
    backoffBaseMs: 250,
    logger,
    metrics,
  });
  // M-Pesa: the callback and the sweep find payments through the one cross-tenant directory.
  const daraja = new DarajaClient({ baseUrl: config.mpesa.baseUrl, timeoutMs: config.mpesa.timeoutMs });
  const paymentDirectory = new DbPaymentDirectory(db);
  const payments = new PaymentService({
    stores: { forTenant: (tenantId) => new DbTenantPaymentStore(db, tenantId, vault) },
    daraja,
    notifier: {
      credentials: async (tenantId) => (await contexts.get(tenantId))?.credentials ?? null,
      sendText: (credentials, to, body, options) => sender.sendText(credentials, to, body, options),
    },
    publicBaseUrl: config.mpesa.publicBaseUrl,
    queryAfterMs: config.mpesa.queryAfterMs,
    logger,
  });
  const reconciler = new PaymentReconciler({
    directory: paymentDirectory,
    payments,
    daraja,
    queryAfterMs: config.mpesa.queryAfterMs,
    logger,
  });
  const ai = new AiFallbackChain({ baseUrls: config.ai.baseUrls, timeoutMs: config.ai.timeoutMs, logger, metrics });
  const mailer = config.smtpUrl && config.escalationFrom ? new SmtpMailer(config.smtpUrl, config.escalationFrom) : null;
  if (config.smtpUrl && !config.escalationFrom)
    logger.warn('SMTP_URL is set without ESCALATION_FROM: escalation emails are off');
  const inbox = await inboxWiring({
    database,
    contexts,
    sender,
    graph: config.graph,
    publicBaseUrl: config.publicBaseUrl,
    nodeEnv: config.nodeEnv,
    logger,
  });
  const escalator = new Escalator({ whatsapp: sender, mailer, logger, dashboardLink: inbox.dashboardLink });
  const presence = new PresenceSignals(sender, logger);
  const media = new MediaUnderstanding({
    fetcher: new GraphMediaClient({
      baseUrl: config.graph.baseUrl,
      apiVersion: config.graph.version,
      lookupTimeoutMs: config.graph.timeoutMs,
      downloadTimeoutMs: config.media.downloadTimeoutMs,
      allowedHosts: config.media.allowedHosts,
      maxAttempts: 3,
      backoffBaseMs: 250,
      logger,
    }),
    // A voice note of a few minutes takes longer to transcribe than a chat answer takes to write.
    speech: new SpeechToTextClient({
      baseUrls: config.ai.baseUrls,
      timeoutMs: Math.max(config.ai.timeoutMs, 30_000),
      logger,
    }),
    documents: new DocumentReader(config.media.documents),
    maxBytes: config.media.maxBytes,
    maxAttempts: config.worker.maxAttempts,
    server: {
      keys: config.ai.keys,
      models: config.ai.models,
      visionModel: config.media.visionModel,
      transcriptionModel: config.media.transcriptionModel,
      allowedModels: config.ai.serverAllowedModels,
    },
    logger,
  });
  const kinds = new MessageKinds({ media, escalator, logger });
  const embeddings = embeddingWiring(config, db, logger, (tenantId) => contexts.get(tenantId));
  const answers = new ReplyComposer(
    ai,
    { keys: config.ai.keys, models: config.ai.models, allowedModels: config.ai.serverAllowedModels },
    presence,
    new PaymentTool(payments, logger),
    embeddings?.matcher,
  );
  const care = new CustomerCare(answers, escalator, kinds);
  // Orders offered for payment and PAY answered with the M-Pesa prompt, when the tenant's payment flow is on.
  const composer = new ChatPayments(care, payments, logger);
  const controls = new MessageControls({ sender, logger });
  const processor = new ReplyProcessor({
    data: new DbTenantDataDoors(db, vault),
    contexts,
    composer,
    controls,
    escalator,
    sender,
    presence,
    maxAttempts: config.worker.maxAttempts,
    retry: config.worker.retry,
    logger,
    metrics,
  });
  // PGlite allows one process per folder, so any message still "processing" was claimed by a
  // process that is gone: hand it back now instead of waiting for its lease to run out.
  if (database.engine === 'pglite') await queue.releaseAllClaims();
  const worker = new ReplyWorker({
    queue,
    processor,
    concurrency: config.worker.concurrency,
    leaseMs: config.worker.leaseMs,
    maxAttempts: config.worker.maxAttempts,
    logger,
  });
  if (config.webhook.allowUnsigned) {
    logger.warn(
      'ALLOW_UNSIGNED_WEBHOOKS=true: POST /webhook accepts UNSIGNED deliveries from anyone who can reach it (for tenants without an app secret of their own); development only',
    );
  } else if (!config.appSecret) {
    logger.warn(
      "WHATSAPP_APP_SECRET is not set: POST /webhook accepts only deliveries signed with a tenant's own app secret (set ALLOW_UNSIGNED_WEBHOOKS=true to try unsigned webhooks locally)",
    );
  }
  const ingest = new IngestService({
    directory,
    store: queue,
    globalAppSecret: config.appSecret,
    allowUnsigned: config.webhook.allowUnsigned,
    maxItems: config.webhook.maxItems,
    signatureThrottle: new AuthFailureThrottle(config.webhook.signatureFailures),
    logger,
    metrics,
    onStored: () => {
      if (config.worker.enabled) worker.wake();
    },
    onChanged: (tenantIds) => tenantIds.forEach(inbox.options.announce),
  });

  // Changes made anywhere (admin API, psql, another server process) reach this process here.
  await database.listen('alphadome_tenant_changed', (tenantId) => {
    directory.invalidate();
    contexts.invalidate(tenantId);
    embeddings?.changed(tenantId);
    // Credentials inserted by SQL are sealed within moments, not at the tenant's first message.
    vault.encryptPlaintextSoon(tenantId);
  });
  if (config.worker.enabled) await database.listen('alphadome_work', () => worker.wake());

  const server: FastifyInstance = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // A line per webhook request would drown the per-message lines at Meta's rates.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: WEBHOOK_BODY_LIMIT,
    // A slow client is cut off (408) once its headers, or its whole request, take longer than this.
    requestTimeout: config.http.requestTimeoutMs,
    http: {
      headersTimeout: config.http.headersTimeoutMs,
      requestTimeout: config.http.requestTimeoutMs,
      // Node checks those limits only this often (30 s by default, which would stretch them).
      connectionsCheckingInterval: Math.min(1_000, config.http.headersTimeoutMs),
    },
    // Requests that arrive while closing still reach their handlers (each answer then closes its
    // connection): /readyz answers 503 in the spec's shape, a webhook is still stored.
    return503OnClosing: false,
    // request.ip (the auth-failure throttle's key) comes from X-Forwarded-For only from trusted proxies.
    trustProxy: config.trustProxy,
  });
  installErrorHandlers(server);
  installSecurityHeaders(server);
  const authThrottle = new AuthFailureThrottle(config.authFailures);
  await server.register(operationsRoutes, {
    readiness: new DbReadiness(db),
    exposition: metrics,
    metricsToken: config.metricsToken,
    throttle: authThrottle,
  });
  await server.register(webhookRoutes, { ingest, directory, globalVerifyToken: config.webhookVerifyToken, metrics });
  await server.register(adminApi, {
    catalog: new DbTenantCatalog(db, cipher, verifyTokens),
    content: new DbTenantContentStores(db),
    customerCare: { forTenant: (tenantId) => new DbCustomerCareStore(db, tenantId) },
    apiKeys: {
      findApiKey: (key) => directory.findApiKey(key),
      forTenant: (tenantId) => new DbApiKeyStore(db, tenantId),
    },
    auditLog: { forTenant: (tenantId) => new DbAuditLogReader(db, tenantId) },
    analytics: new AnalyticsService(
      { forTenant: (tenantId) => new DbAnalyticsStore(db, tenantId) },
      config.ai.prices,
      { forTenant: (tenantId) => new DbPaymentFigures(db, tenantId) },
      wordVectors.current,
    ),
    adminToken: config.adminApiToken,
    authFailures: { throttle: authThrottle, metrics },
    platformLimits: config.platformLimits,
    serverAllowedModels: config.ai.serverAllowedModels,
    reencryptAllSecrets: () => vault.reencryptAll(),
    team: inbox.team,
    inbox: inbox.options,
    payments,
  });
  await server.register(callbackRoutes, { callbacks: new PaymentCallbacks(paymentDirectory, payments, logger) });
  // src/app.ts and the built dist/app.js both sit one folder below the package root.
  await server.register(dashboardRoutes, { root: fileURLToPath(new URL('../dist/dashboard/', import.meta.url)) });

  let stopping: Promise<void> | null = null;
  const housekeeping = new CounterHousekeeping({ pruner: new DbRateCounterPruner(db), logger });
  const resender = new UnconfirmedResender({
    parts: new DbUnconfirmedParts(db),
    contexts,
    sender,
    waitMs: config.worker.sendConfirmWaitMs,
    logger,
  });

  return {
    server,
    database,
    worker,
    logger,
    async start() {
      const address = await server.listen({ port: config.port, host: config.host });
      // In the background; once loaded, every cached tenant's matcher is rebuilt with them at its next use.
      void wordVectors.load(() => contexts.invalidate('all'));
      if (config.worker.enabled) {
        worker.start();
        housekeeping.start();
        resender.start();
        reconciler.start();
        embeddings?.refresher.start();
      }
      return address;
    },
    stop(graceMs = 10_000) {
      // A second signal or caller waits for the same shutdown instead of closing twice.
      stopping ??= (async () => {
        await server.close();
        await worker.stop(graceMs);
        await housekeeping.stop();
        await resender.stop();
        await reconciler.stop();
        await embeddings?.refresher.stop();
        await payments.drain();
        await vault.settle();
        mailer?.close();
        await database.close();
        metrics.close();
      })();
      return stopping;
    },
    reencryptAllSecrets: () => vault.reencryptAll(),
  };
}
