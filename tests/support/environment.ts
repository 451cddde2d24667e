/**
 * The test process's environment: the AWS SDK's notice that its 2027 releases need Node.js 22 is
 * printed once per process otherwise (CI runs Node.js 20 here; Lambda runs nodejs22.x).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
