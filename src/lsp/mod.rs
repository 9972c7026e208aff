//! Stage: the language server for editors (`gongwen lsp`). [`analysis`] builds and checks a
//! report from the editor's unsaved texts with the library's own pipeline and says where
//! each figure comes from; [`server`] speaks the Language Server Protocol over it.

pub mod analysis;
pub mod server;
pub mod uri;
