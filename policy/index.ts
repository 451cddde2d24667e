/**
 * Entry point for `pulumi preview --policy-pack policy`. Constructing a PolicyPack starts the gRPC
 * server the CLI talks to, so this file does that and nothing else; the policies live in ./policies.
 */
import { PolicyPack } from "@pulumi/policy";
import { packArgs, packName } from "./pack";

new PolicyPack(packName, packArgs);
