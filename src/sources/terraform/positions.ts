/**
 * The last path segment under which the text of a heredoc value is recorded
 * (`resource/azurerm_api_management_api_policy/x/xml_content/<HEREDOC_TEXT>`): its first line is the
 * line after `<<EOT`, so lines inside the text map one to one onto the file's.
 */
export const HEREDOC_TEXT = '\u0000heredoc';
