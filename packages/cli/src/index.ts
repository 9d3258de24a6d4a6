export { loginWithDevice, loginWithToken, whoAmI } from './commands/login'
export { type CliConfig, configPath, readConfig } from './config-file'
export { main } from './main'
