// The provider framework's public surface: the only file modules, the HTTP layer and the CLI import from
// src/providers/. Definitions and registries, the catalog, resolution, sealed secrets and key rotation, masking,
// the config service behind /v1/provider-configs, and the contract every definition must satisfy.
export { providerConfigColumn } from './config-secrets.js';
export { definitionProblems } from './contract.js';
export { CredentialError, KeyRing } from './credentials.js';
export { type EndpointPolicy, endpointIssues, endpointPolicy, relayRefusal } from './endpoints.js';
export { maskConfig, maskSecret } from './masking.js';
export { loadKeyRing } from './master-key.js';
export { Catalog, configJsonSchema, Registry } from './registry.js';
export {
  type ProviderChoice,
  ProviderResolver,
  type Resolution,
  type ResolvedProvider,
} from './resolution.js';
export {
  open,
  type RotationReport,
  rotateColumn,
  type SealedColumn,
  type SealedKind,
  seal,
} from './sealed.js';
export {
  type ProviderConfigInput,
  type ProviderConfigPatch,
  ProviderConfigService,
  type ProviderConfigView,
} from './service.js';
export { ProviderSetAssignments, type SetAssignment } from './set-service.js';
export {
  type AnyProviderDefinition,
  type Capabilities,
  type DefinitionOf,
  type InstanceOf,
  type ProviderDefinition,
  type ProviderDeps,
  type ProviderMetadata,
  SERVICE_TYPES,
  type ServiceType,
} from './types.js';
