import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { galleryFilesProjection } from '../projections/galleryFiles.ts';
import { galleryProjection } from '../projections/gallery.ts';
import { productsProjection } from '../projections/products.ts';
import { settingsProjection } from '../projections/settings.ts';
import { rpcSessionsProjection } from '../projections/rpcSessions.ts';
import { openLmdbReadModelStore } from './adapters/lmdb/lmdbReadModelStore.ts';
import type { DiskSpaceGuard } from './adapters/lmdb/diskSpaceGuard.ts';
import { systemClock, type Clock } from './app/clock.ts';
import { commandHandler } from './app/commandHandler.ts';
import { upcastingEventStore } from './app/upcastingEventStore.ts';
import { pastMedia } from './app/history/pastMedia.ts';
import { mediaHistory } from './app/history/mediaHistory.ts';
import { addHistoryRoutes } from './http/rest/historyRoutes.ts';
import { mediaEventsRoutes } from './http/rest/mediaEventsRoutes.ts';
import { pkAllocator } from './app/pkAllocator.ts';
import { productCommands } from './app/products/productCommands.ts';
import { productQueries } from './app/products/productQueries.ts';
import { galleryQueries } from './app/media/galleryQueries.ts';
import { imageCommands } from './app/media/imageCommands.ts';
import { videoCommands } from './app/media/videoCommands.ts';
import { settingsQueries } from './app/media/settingsQueries.ts';
import { settingsInForce } from './app/settings/settingsInForce.ts';
import { createSharpImageProcessor, type SharpImageProcessorOptions } from './adapters/sharp/sharpImageProcessor.ts';
import { createAdmin, isAdminRequest } from './admin/admin.ts';
import { createDelivery, type Delivery } from './delivery/delivery.ts';
import { isMediaRequest, MEDIA_PATH } from './delivery/mediaHandler.ts';
import { mediaUrls } from './delivery/mediaUrls.ts';
import { galleryWrites } from './http/rest/galleryWrites.ts';
import { readYourWrites } from './app/readYourWrites.ts';
import { serviceReadiness } from './http/healthRoutes.ts';
import { productImageRoutes } from './http/rest/productImageRoutes.ts';
import { createErpDownloader } from './adapters/http/erpDownloader.ts';
import { downloadCommands } from './app/media/downloadCommands.ts';
import { downloadableImageRoutes } from './http/rest/downloadableImageRoutes.ts';
import { dynamicSettingsRoutes } from './http/rest/dynamicSettingsRoutes.ts';
import { settingCommands } from './app/settings/settingCommands.ts';
import { PRODUCT_VIDEO_PATH, productVideoRoutes } from './http/rest/productVideoRoutes.ts';
import { catalogEntry } from './domain/events.ts';
import { createUserDirectory } from './auth/userDirectory.ts';
import type { ApiUser, Config } from './config/config.ts';
import { openEngines, type Engines } from './engines.ts';
import { createApp } from './http/app.ts';
import { answerClientError } from './http/clientErrors.ts';
import { watchBodyIdle } from './http/bodyIdleTimeout.ts';
import { byteBudget } from './http/byteBudget.ts';
import { limitConnections } from './http/connectionLimits.ts';
import { loginGuard } from './auth/loginGuard.ts';
import { loginThrottle } from './auth/loginThrottle.ts';
import { idempotency } from './http/rest/idempotency.ts';
import { idempotentRequests } from './app/idempotency/idempotentRequests.ts';
import { asyncApiRoutes, openApiRoutes } from './http/openapi/openApiRoutes.ts';
import { apiReferenceRoutes } from './http/openapi/apiReferenceRoutes.ts';
import { createBodyParser, DEFAULT_BODY_LIMITS } from './http/rest/bodyParser.ts';
import { LOGIN_PATH } from './http/rest/authRoutes.ts';
import { productsRoutes } from './http/rest/productsRoutes.ts';
import type { Logger } from './logging/logger.ts';
import { galleryFileNames } from './app/galleryFiles/galleryFileNames.ts';
import { productMediaMethods } from './app/rpc/productMediaMethods.ts';
import { rpcSessions } from './app/rpc/rpcSessions.ts';
import { shipStreamApi } from './app/rpc/shipStreamApi.ts';
import { maxBase64Length } from './app/rpc/imageData.ts';
import { jsonRpcEndpoint } from './http/rpc/jsonRpcEndpoint.ts';
import type { EventStore } from './ports/eventStore.ts';
import type { ObjectStore } from './ports/objectStore.ts';
import type { ReadModelStore } from './ports/readModelStore.ts';
import { DEFAULT_WAIT_TIMEOUT_MS, startProjections, type Projections } from './projections/projections.ts';
import { startLogWatcher } from './projections/logWatcher.ts';
import { readGuard } from './app/readGuard.ts';
import { cors } from './http/cors.ts';
import { createMetrics } from './observability/metrics.ts';
import { metricsRoutes } from './observability/metricsRoutes.ts';
import { observeRequests } from './observability/httpObserver.ts';
import { observedEventStore } from './observability/observedEventStore.ts';
import { observedObjectStore } from './observability/observedObjectStore.ts';
import { observedImageProcessor, withImageJobMetrics } from './observability/observedImageProcessor.ts';
import { observedRpcApi } from './observability/observedRpcApi.ts';
import { projectionLag } from './observability/projectionLag.ts';
import { registerServiceGauges } from './observability/serviceGauges.ts';
import { tracedCommandHandler } from './observability/tracedCommandHandler.ts';
import { noteRouteTemplate } from './observability/requestTraces.ts';
import { tracingFor, type Tracing } from './observability/tracing.ts';
import { startWebhooks, type Webhooks } from './webhooks/webhooks.ts';
import { openServedReadModels, startReadModelRebuilds, type ReadModelRebuilds } from './rebuild/readModelRebuilds.ts';

/** Every read model the service keeps. */
export const PROJECTIONS = [productsProjection, galleryProjection, settingsProjection, rpcSessionsProjection, galleryFilesProjection] as const;

export interface ServiceOptions {
  config: Config;
  users: ApiUser[];
  logger: Logger;
  clock?: Clock;
  /** How long a graceful stop waits for in-flight requests before cutting connections. */
  shutdownGraceMs?: number;
  /** Observers of the image job limiter (tests count jobs; metrics), and its slots (default: the core count). */
  imageJobs?: Pick<SharpImageProcessorOptions, 'onLoad' | 'onJobStart' | 'concurrency'>;
  /** What refuses read-model writes on a full disk (tests simulate one; default: the free space of their file system). */
  readModelSpace?: DiskSpaceGuard;
  /** Tracing (tests give one with an in-memory exporter); default: as configured (src/observability/tracing.ts). */
  tracing?: Tracing;
}

export interface RunningService {
  /** Base URL the server listens on (with the real port when PORT was 0). */
  url: string;
  server: Server;
  /** Which engine serves each port. */
  engines: Engines['names'];
  /** Every `METHOD /path/` the application routes. */
  routes: readonly string[];
  eventStore: EventStore;
  objectStore: ObjectStore;
  readModels: ReadModelStore;
  projections: Projections;
  /** Media delivery: the renditions service and the hot binary cache (tests). */
  delivery: Delivery;
  /** Webhook subscriptions and this instance's deliverer. */
  webhooks: Webhooks;
  /** Rebuilds of the read models while serving (src/rebuild/). */
  rebuilds: ReadModelRebuilds;
  /** Graceful stop: refuse new connections, finish in-flight requests, close the stores. */
  close(): Promise<void>;
}

/** Opens the engines, starts the projections and the HTTP server. */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock();
  await mkdir(config.dataDir, { recursive: true });

  const engines = await openEngines(config);
  // Metrics and traces wrap the ports (src/observability/): nothing else knows about them.
  const metrics = config.observability.metrics ? createMetrics() : undefined;
  const tracing = options.tracing ?? (await tracingFor(config.observability));
  // Every reader sees events at their current schema version (src/domain/upcasters.ts).
  const eventStore = upcastingEventStore(observedEventStore(engines.eventStore, metrics, tracing));
  const objectStore = observedObjectStore(engines.objectStore, metrics, tracing);
  const openReadModels = (path: string) => openLmdbReadModelStore({ path, ...(options.readModelSpace ? { space: options.readModelSpace } : {}) });
  // Swappable under the queries and runners: a rebuild switches them while serving (src/rebuild/).
  const served = await openServedReadModels({
    dataDir: config.dataDir,
    openStore: openReadModels,
    startProjections: (store) => startProjections({ eventStore, readModels: store, logger }, PROJECTIONS),
    waitTimeoutMs: DEFAULT_WAIT_TIMEOUT_MS,
    logger,
  });
  const { readModels, projections } = served;
  const lag = projectionLag(projections.runners);
  const logWatcher = await startLogWatcher({ eventStore, runners: projections.runners, logger, ...(metrics ? { onEvent: lag.seen } : {}) });
  const guard = config.readGuardTimeoutMs > 0 ? readGuard({ eventStore, watcher: logWatcher, timeoutMs: config.readGuardTimeoutMs, logger }) : undefined;

  const schemaVersionOf = (type: string) => catalogEntry(type)?.schemaVersion ?? 1;
  const handle = tracedCommandHandler(commandHandler({ eventStore, clock, schemaVersionOf, cacheBytes: config.aggregateCacheBytes }), tracing);
  const allocatePk = pkAllocator({ eventStore, clock, schemaVersionOf });
  const gallery = galleryQueries(readModels);
  const past = pastMedia(eventStore);
  const settings = settingsQueries(readModels);
  const settingInForce = settingsInForce(eventStore);
  // One image pipeline for every route and for renditions, so its bound on concurrent jobs holds for the process.
  const imageProcessor = observedImageProcessor(
    createSharpImageProcessor({ ...withImageJobMetrics(options.imageJobs, metrics), queueMax: config.imageQueueMax, jobTimeoutMs: config.imageJobTimeoutMs }),
    metrics,
    tracing,
  );
  const users = createUserDirectory(options.users);
  const loginGuardian = loginGuard({ users, throttle: loginThrottle(), logger });
  const delivery = createDelivery({ config, objectStore, readModels, renderer: imageProcessor, users, logger, ...(guard ? { readGuard: guard } : {}) });
  const mediaUrl = mediaUrls(config.mediaBaseUrl, config.delivery);
  const images = imageCommands({
    eventStore,
    objectStore,
    imageProcessor,
    handle,
    allocatePk,
    clock,
    maxImageDimensions: () => settingInForce('MAX_IMAGE_DIMENSIONS'),
    maxInputPixels: config.maxInputPixels,
    maxAnimationPixels: config.maxAnimationPixels,
    afterStored: delivery.afterImageStored,
  });
  const afterWrites = readYourWrites({ projections, eventStore });
  const writes = galleryWrites({ readModels, queries: gallery, readYourWrites: afterWrites });
  const bodyParser = await createBodyParser({
    uploadRoot: join(config.dataDir, 'tmp', 'uploads'),
    ...DEFAULT_BODY_LIMITS,
    fileBytes: config.maxImageBytes,
    // Only video uploads may be larger than an image; the anonymous login takes no file at all.
    fileBytesFor: (path) => (path.startsWith(PRODUCT_VIDEO_PATH) ? config.maxVideoBytes : LOGIN_PATH.test(path) ? 0 : config.maxImageBytes),
  });
  const products = productQueries(readModels);
  // One per instance: the RPC create and the REST upload reserve names through the same queue.
  const fileNames = galleryFileNames({ eventStore, readModels, clock });
  const jsonRpc = jsonRpcEndpoint({
    api: observedRpcApi(shipStreamApi({
      sessions: rpcSessions({
        eventStore,
        readModels,
        reached: afterWrites.reached,
        clock,
        users,
        guard: loginGuardian,
        ttlMs: config.rpcSessionTtlSeconds * 1000,
        maxSessionsPerUser: config.limits.rpcSessionsPerUser,
      }),
      methods: productMediaMethods({
        products,
        gallery,
        images,
        settle: writes.settle,
        mediaUrl,
        maxImageBytes: config.maxImageBytes,
        fileNames,
      }),
      maxMultiCalls: config.limits.rpcBatchMax,
    }), metrics, tracing),
    // One image in base64 (JSON-escaped slashes included) plus the envelope and other fields.
    maxBodyBytes: Math.ceil(maxBase64Length(config.maxImageBytes) * 1.05) + 64 * 1024,
    preauthBodyBytes: config.limits.rpcPreauthBodyBytes,
    anonymousBodies: byteBudget(config.limits.anonymousBodyBudgetBytes),
    batchMax: config.limits.rpcBatchMax,
    batchMaxLogins: config.limits.rpcBatchMaxLogins,
  });
  const imageRouter = productImageRoutes({
    commands: images,
    queries: gallery,
    writes,
    publicBaseUrl: config.publicBaseUrl,
    mediaUrl,
    maxImageBytes: config.maxImageBytes,
    past,
    productExists: products.exists,
    fileNames,
  });
  const videoRouter = productVideoRoutes({
    commands: videoCommands({ eventStore, objectStore, handle, allocatePk, clock }),
    queries: gallery,
    writes,
    publicBaseUrl: config.publicBaseUrl,
    mediaUrl,
    maxVideoBytes: config.maxVideoBytes,
    past,
    productExists: products.exists,
  });
  const productsRouter = productsRoutes({
    commands: productCommands({ eventStore, handle, allocatePk, clock }),
    queries: products,
    readYourWrites: afterWrites,
    publicBaseUrl: config.publicBaseUrl,
  });
  addHistoryRoutes(
    { images: imageRouter, videos: videoRouter, products: productsRouter },
    { history: mediaHistory(eventStore), gallery, products, publicBaseUrl: config.publicBaseUrl },
  );
  const feed = mediaEventsRoutes({
    eventStore,
    products,
    publicBaseUrl: config.publicBaseUrl,
    stream: { heartbeatMs: config.feedHeartbeatMs, maxBufferedBytes: config.feedMaxBufferedBytes },
  });
  if (metrics) registerServiceGauges(metrics, { projections, lag, sseConsumers: feed.consumers });
  const corsHeaders = cors(config.corsOrigins);
  const webhooks = startWebhooks({
    config: config.webhooks,
    eventStore,
    handle,
    allocatePk,
    clock,
    logger,
    skuOf: (productPk) => products.get(productPk)?.sku,
  });
  const rebuilds = await startReadModelRebuilds({
    dataDir: config.dataDir,
    eventStore,
    clock,
    logger,
    served,
    projections: PROJECTIONS,
    openStore: openReadModels,
    publicBaseUrl: config.publicBaseUrl,
  });
  const app = createApp({
    ...(guard ? { readGuard: guard } : {}),
    ...(corsHeaders ? { cors: corsHeaders } : {}),
    jsonRpc,
    logger,
    bodyParser,
    idempotency: idempotency(
      idempotentRequests({ eventStore, clock, onNotKept: (reason, error) => logger.warn(reason, { error: String(error) }) }),
    ),
    users,
    loginGuard: loginGuardian,
    trustProxy: config.limits.trustProxy,
    readiness: serviceReadiness(projections, engines.isConnected),
    restRouters: [
      openApiRoutes(config.publicBaseUrl),
      asyncApiRoutes(config.publicBaseUrl),
      apiReferenceRoutes(config.publicBaseUrl),
      imageRouter,
      downloadableImageRoutes({
        commands: downloadCommands({
          eventStore,
          handle,
          images,
          downloader: createErpDownloader({ allowedHosts: config.downloadAllowedHosts, maxBytes: config.maxImageBytes, timeoutMs: 20_000, maxRedirects: 5 }),
        }),
        writes,
        publicBaseUrl: config.publicBaseUrl,
        mediaUrl,
      }),
      videoRouter,
      dynamicSettingsRoutes({ commands: settingCommands({ handle }), queries: settings, readYourWrites: afterWrites }),
      feed.router,
      productsRouter,
      ...(metrics ? [metricsRoutes(metrics, config.observability.metricsToken)] : []),
      webhooks.router,
      rebuilds.router,
    ],
  });

  const api = app.callback();
  const admin = await createAdmin({ mediaBaseUrl: config.mediaBaseUrl, renditionWidths: config.delivery.renditionSizes });
  const { bodyIdleTimeoutMs } = config.limits;
  const server = createServer(
    observeRequests(
      (req, res) => {
        if (isMediaRequest(req.url)) {
          noteRouteTemplate(req, `${MEDIA_PATH}/{key}`);
          return delivery.handle(req, res);
        }
        if (isAdminRequest(req.url)) {
          noteRouteTemplate(req, '/admin/');
          return admin.handle(req, res);
        }
        watchBodyIdle(req, res, bodyIdleTimeoutMs);
        return api(req, res);
      },
      { metrics, tracing },
    ),
  );
  limitConnections(server, { maxTotal: config.limits.maxConnections, maxPerAddress: config.limits.maxConnectionsPerAddress });
  server.requestTimeout = 5 * 60_000;
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host && config.host !== '0.0.0.0' && config.host !== '::' ? config.host : '127.0.0.1'}:${port}`;
  logger.info('listening', { url, dataDir: config.dataDir, engines: engines.names });

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      feed.closeStreams();
      await webhooks.close();
      await rebuilds.close();
      await stopAccepting(server, options.shutdownGraceMs ?? 10_000);
      logWatcher.stop();
      await projections.stop();
      await Promise.all([eventStore.close(), objectStore.close(), readModels.close(), tracing.shutdown()]);
      logger.info('stopped');
    })());

  return { url, server, routes: [...app.routes, `GET ${MEDIA_PATH}/{key}`, `GET ${MEDIA_PATH}/catalog/product/{first}/{second}/{name}`].sort(), engines: engines.names, eventStore, objectStore, readModels, projections, delivery, webhooks, rebuilds, close };
}

/** Stops accepting connections and waits for in-flight requests; after `graceMs` cuts the rest. */
async function stopAccepting(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const idleSweeper = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
  try {
    await closed;
  } finally {
    clearInterval(idleSweeper);
    clearTimeout(deadline);
  }
}
