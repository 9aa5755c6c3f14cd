// LLaMA-Factory loads a dataset only through an entry in its data/dataset_info.json. Kept apart from the ShareGPT
// serializer so the browser's export dialog can show the entry without loading the format code.

/** The dataset_info.json entry for a ShareGPT export (LLaMA-Factory's data/README.md, "Sharegpt Format"). */
export function llamaFactoryDatasetInfo(datasetName: string, fileName: string): Record<string, unknown> {
  return {
    [datasetName]: {
      file_name: fileName,
      formatting: "sharegpt",
      columns: { messages: "conversations", tools: "tools" },
      tags: {
        role_tag: "from",
        content_tag: "value",
        user_tag: "human",
        assistant_tag: "gpt",
        observation_tag: "observation",
        function_tag: "function_call",
      },
    },
  };
}
